package dev.switchboard.client;

import java.time.Duration;

/**
 * How to subscribe: the {@link Transport}, where to start ({@code after}: 0 = the oldest retained message,
 * null = only messages published from now on), and the pacing of polls and reconnects.
 */
public record SubscribeOptions(Transport transport, Long after, Duration pollInterval, Duration longPollWait,
        int limit, Duration minBackoff, Duration maxBackoff) {

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
    }

    /** The defaults for {@code transport}: from now on, 1 s short-poll interval, 30 s long-poll wait, backoff 100 ms..10 s. */
    public static SubscribeOptions of(Transport transport) {
        return new SubscribeOptions(transport, null, Duration.ofSeconds(1), Duration.ofSeconds(30), 100,
                Duration.ofMillis(100), Duration.ofSeconds(10));
    }

    public SubscribeOptions after(long offset) {
        return new SubscribeOptions(transport, offset, pollInterval, longPollWait, limit, minBackoff, maxBackoff);
    }

    public SubscribeOptions pollInterval(Duration interval) {
        return new SubscribeOptions(transport, after, interval, longPollWait, limit, minBackoff, maxBackoff);
    }

    public SubscribeOptions longPollWait(Duration wait) {
        return new SubscribeOptions(transport, after, pollInterval, wait, limit, minBackoff, maxBackoff);
    }

    /** Reconnect delays grow from {@code min} to {@code max}, doubling, each one jittered down by up to half. */
    public SubscribeOptions backoff(Duration min, Duration max) {
        return new SubscribeOptions(transport, after, pollInterval, longPollWait, limit, min, max);
    }
}
