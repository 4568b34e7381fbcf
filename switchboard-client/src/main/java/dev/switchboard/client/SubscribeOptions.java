package dev.switchboard.client;

import java.time.Duration;

/**
 * How to subscribe: the {@link Transport}, where to start ({@code after}: 0 = the oldest retained message,
 * null = only messages published from now on), and the pacing of polls and reconnects.
 */
public record SubscribeOptions(Transport transport, Long after, Duration pollInterval, Duration longPollWait,
        int limit, Duration minBackoff, Duration maxBackoff, Duration idleTimeout) {

    public SubscribeOptions {
        if (transport == null) {
            throw new IllegalArgumentException("transport is required");
        }
        if (after != null && after < 0) {
            throw new IllegalArgumentException("after must be >= 0, got " + after);
        }
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1, got " + limit);
        }
        if (minBackoff.isNegative() || minBackoff.isZero() || maxBackoff.compareTo(minBackoff) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < min <= max, got " + minBackoff + ".." + maxBackoff);
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout must be positive, got " + idleTimeout);
        }
    }

    /**
     * The defaults for {@code transport}: from now on, 1 s short-poll interval, 30 s long-poll wait, backoff
     * 100 ms..10 s, and a 75 s idle timeout (the server writes to a quiet stream every 15 s on SSE and pings a
     * quiet WebSocket every 30 s, so 75 s of silence means the connection is dead even if no close arrived).
     */
    public static SubscribeOptions of(Transport transport) {
        return new SubscribeOptions(transport, null, Duration.ofSeconds(1), Duration.ofSeconds(30), 100,
                Duration.ofMillis(100), Duration.ofSeconds(10), Duration.ofSeconds(75));
    }

    public SubscribeOptions after(long offset) {
        return new SubscribeOptions(transport, offset, pollInterval, longPollWait, limit, minBackoff, maxBackoff, idleTimeout);
    }

    public SubscribeOptions pollInterval(Duration interval) {
        return new SubscribeOptions(transport, after, interval, longPollWait, limit, minBackoff, maxBackoff, idleTimeout);
    }

    public SubscribeOptions longPollWait(Duration wait) {
        return new SubscribeOptions(transport, after, pollInterval, wait, limit, minBackoff, maxBackoff, idleTimeout);
    }

    /** Reconnect delays grow from {@code min} to {@code max}, doubling, each one jittered down by up to half. */
    public SubscribeOptions backoff(Duration min, Duration max) {
        return new SubscribeOptions(transport, after, pollInterval, longPollWait, limit, min, max, idleTimeout);
    }

    /** SSE and WebSocket: a stream silent this long (no message, heartbeat or ping) is dropped and reconnected. */
    public SubscribeOptions idleTimeout(Duration timeout) {
        return new SubscribeOptions(transport, after, pollInterval, longPollWait, limit, minBackoff, maxBackoff, timeout);
    }
}
