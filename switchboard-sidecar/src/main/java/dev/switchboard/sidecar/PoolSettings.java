package dev.switchboard.sidecar;

import dev.switchboard.core.config.ConfigException;
import java.time.Duration;

/**
 * The upstream connection pool.
 *
 * @param size the most connections open to the upstream at once (in use, idle or being opened)
 * @param idleTimeout an idle connection is closed after this long (below the app's keep-alive timeout)
 * @param maxLifetime a connection is not reused once this old (spreads load after the app scales or restarts)
 * @param acquireTimeout how long a request waits for a connection when all are in use; past it, 503
 * @param maxPending requests waiting for a connection at once; one more is answered 503 at once
 */
public record PoolSettings(int size, Duration idleTimeout, Duration maxLifetime, Duration acquireTimeout, int maxPending) {
    public static final PoolSettings DEFAULTS = new PoolSettings(
            64, // enough for most apps' worker counts; more connections than workers only queue in the app
            Duration.ofSeconds(4), // Node's keep-alive timeout is 5 s: close before the app does
            Duration.ofMinutes(10),
            Duration.ofSeconds(5),
            4096);

    public PoolSettings {
        if (size < 1 || maxPending < 0) {
            throw new ConfigException("pool-size must be ≥ 1 and pool-max-pending ≥ 0, got " + size + " and " + maxPending);
        }
        for (Duration d : new Duration[] {idleTimeout, maxLifetime, acquireTimeout}) {
            if (d.isNegative() || d.isZero()) {
                throw new ConfigException("pool timeouts must be positive, got " + d);
            }
        }
    }
}
