package dev.switchboard.client;

import java.time.Duration;

/**
 * Receives a {@link Subscription}'s events, in order, from the subscription's own thread. Only
 * {@link #onMessage} is required.
 */
@FunctionalInterface
public interface SubscriptionListener {
    /** The next message; offsets increase by one except across a {@link #onGap gap}. */
    void onMessage(Message message);

    /** Retention removed offsets {@code gap.after()+1 .. gap.first()-1} before they could be delivered. */
    default void onGap(Gap gap) {}

    /** The connection failed or the server closed it; the subscription reconnects after {@code delay}. */
    default void onReconnecting(SwitchboardClientException cause, Duration delay) {}

    /**
     * The server cannot resume from the last offset (the store was replaced, or the topic is shorter than the
     * position): the subscription ends. Start a new one from where the application decides (e.g. after 0).
     */
    default void onCannotResume(SwitchboardClientException problem) {}

    /** The subscription ended: {@code cause} is null when closed, else the refusal or the listener's exception. */
    default void onEnd(Throwable cause) {}
}
