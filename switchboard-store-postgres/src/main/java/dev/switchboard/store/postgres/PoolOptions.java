package dev.switchboard.store.postgres;

import java.time.Duration;

/**
 * The HikariCP knobs Switchboard exposes, each default with its reason. Validated when built.
 *
 * @param size                 connections kept open. Default 10: one is the group-commit writer's
 *                             for the length of a batch, the rest serve reads; PostgreSQL does its best
 *                             with few busy connections (HikariCP's "About Pool Sizing": about
 *                             cores x 2), and N nodes open N x size, well under max_connections (100).
 * @param connectionTimeout    how long a caller waits for a free connection before failing with
 *                             "pool exhausted". Default 2s: an HTTP caller gets a retryable 503 while
 *                             it still cares, instead of HikariCP's 30s hang.
 * @param maxLifetime          a connection is retired after this long. Default 30 min (HikariCP's):
 *                             shorter than any firewall or PgBouncer idle cut, so we close first.
 * @param leakDetection        a connection held longer than this is logged with the stack that took it
 *                             (it is not closed). Default 10s: no store operation holds one that long;
 *                             long polls wait in the hub, never on a connection. Zero turns it off.
 */
public record PoolOptions(int size, Duration connectionTimeout, Duration maxLifetime, Duration leakDetection) {
    public static final PoolOptions DEFAULTS =
            new PoolOptions(10, Duration.ofSeconds(2), Duration.ofMinutes(30), Duration.ofSeconds(10));

    public PoolOptions {
        if (size < 2) {
            throw new IllegalArgumentException("pool size must be >= 2 (one writer and one reader), was " + size);
        }
        // HikariCP's own floors: it silently raises smaller values, which would make the documented
        // numbers lie.
        if (connectionTimeout.toMillis() < 250) {
            throw new IllegalArgumentException("connection timeout must be >= 250ms, was " + connectionTimeout.toMillis() + "ms");
        }
        if (maxLifetime.toMillis() < 30_000) {
            throw new IllegalArgumentException("max lifetime must be >= 30s, was " + maxLifetime.toMillis() + "ms");
        }
        if (!leakDetection.isZero() && (leakDetection.toMillis() < 2_000 || leakDetection.compareTo(maxLifetime) >= 0)) {
            throw new IllegalArgumentException("leak detection must be 0 (off) or >= 2s and below max lifetime, was "
                    + leakDetection.toMillis() + "ms");
        }
    }

    public PoolOptions withSize(int newSize) {
        return new PoolOptions(newSize, connectionTimeout, maxLifetime, leakDetection);
    }

    public PoolOptions withConnectionTimeout(Duration timeout) {
        return new PoolOptions(size, timeout, maxLifetime, leakDetection);
    }
}
