package dev.switchboard.client;

import java.time.Duration;

/**
 * How a {@link GroupConsumer} takes its messages: the {@link Transport} ({@link Transport#WEBSOCKET}: pushed, at
 * most {@code maxInFlight} unacknowledged at once; {@link Transport#LONG_POLL}: fetches of up to
 * {@code maxInFlight} messages held {@code longPollWait}), the {@code lease} (null: the server's default), the
 * redelivery delay of a nack, and the pacing of reconnects.
 */
public record ConsumeOptions(Transport transport, int maxInFlight, Duration lease, Duration longPollWait,
        Duration nackDelay, Duration minBackoff, Duration maxBackoff, Duration idleTimeout) {

    public ConsumeOptions {
        if (transport != Transport.WEBSOCKET && transport != Transport.LONG_POLL) {
            throw new IllegalArgumentException("a group consumer runs over WEBSOCKET or LONG_POLL, got " + transport);
        }
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be >= 1, got " + maxInFlight);
        }
        if (lease != null && (lease.isNegative() || lease.isZero())) {
            throw new IllegalArgumentException("lease must be positive, got " + lease);
        }
        if (longPollWait.isNegative() || nackDelay.isNegative()) {
            throw new IllegalArgumentException("longPollWait and nackDelay must be >= 0, got " + longPollWait + ", " + nackDelay);
        }
        if (minBackoff.isNegative() || minBackoff.isZero() || maxBackoff.compareTo(minBackoff) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < min <= max, got " + minBackoff + ".." + maxBackoff);
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout must be positive, got " + idleTimeout);
        }
    }

    /**
     * The defaults for {@code transport}: a window of 100, the server's lease, 30 s long-poll wait, nacked messages
     * due again at once, backoff 100 ms..10 s, and a 75 s idle timeout (the server pings a quiet WebSocket every
     * 30 s).
     */
    public static ConsumeOptions of(Transport transport) {
        return new ConsumeOptions(transport, 100, null, Duration.ofSeconds(30), Duration.ZERO, Duration.ofMillis(100),
                Duration.ofSeconds(10), Duration.ofSeconds(75));
    }

    /** WebSocket: most messages pushed and not yet acknowledged; long poll: most messages per fetch. */
    public ConsumeOptions maxInFlight(int max) {
        return new ConsumeOptions(transport, max, lease, longPollWait, nackDelay, minBackoff, maxBackoff, idleTimeout);
    }

    /** How long the handler has for a message before it is delivered again (the server caps it). */
    public ConsumeOptions lease(Duration lease) {
        return new ConsumeOptions(transport, maxInFlight, lease, longPollWait, nackDelay, minBackoff, maxBackoff, idleTimeout);
    }

    public ConsumeOptions longPollWait(Duration wait) {
        return new ConsumeOptions(transport, maxInFlight, lease, wait, nackDelay, minBackoff, maxBackoff, idleTimeout);
    }

    /** How long a message the handler threw on waits before it is due again. */
    public ConsumeOptions nackDelay(Duration delay) {
        return new ConsumeOptions(transport, maxInFlight, lease, longPollWait, delay, minBackoff, maxBackoff, idleTimeout);
    }

    /** Reconnect delays grow from {@code min} to {@code max}, doubling, each one jittered down by up to half. */
    public ConsumeOptions backoff(Duration min, Duration max) {
        return new ConsumeOptions(transport, maxInFlight, lease, longPollWait, nackDelay, min, max, idleTimeout);
    }

    /** WebSocket: a socket silent this long (no frame, no ping) is dropped and reconnected. */
    public ConsumeOptions idleTimeout(Duration timeout) {
        return new ConsumeOptions(transport, maxInFlight, lease, longPollWait, nackDelay, minBackoff, maxBackoff, timeout);
    }
}
