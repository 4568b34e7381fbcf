package dev.switchboard.client;

import java.time.Duration;

/**
 * Handles a {@link GroupConsumer}'s messages, one at a time, from the consumer's own thread. Only {@link #handle}
 * is required.
 */
@FunctionalInterface
public interface GroupHandler {
    /**
     * Handles one message. Returning normally acknowledges it; throwing nacks it with the exception's message as
     * the reason (kept in the dead-letter headers), so it is delivered again with the next attempt, after
     * {@link ConsumeOptions#nackDelay()}, or goes to {@code {topic}.dlq} after the server's {@code max_attempts}.
     */
    void handle(GroupMessage message) throws Exception;

    /**
     * The consumer survived a refusal: an ack or a nack the server did not take (typically {@code lease-not-held}:
     * the lease ran out before the ack and the message will be, or was, delivered again).
     */
    default void onProblem(SwitchboardClientException problem) {}

    /** The connection failed or the server closed it; the consumer reconnects after {@code delay}. */
    default void onReconnecting(SwitchboardClientException cause, Duration delay) {}

    /** The consumer ended: {@code cause} is null when closed, else the refusal or the handler's {@link Error}. */
    default void onEnd(Throwable cause) {}
}
