package dev.switchboard.client;

/**
 * A live subscription to one topic, the same whatever its {@link Transport}.
 *
 * <p>Messages reach the {@link SubscriptionListener} in offset order, each once, from one thread that belongs to
 * this subscription (a listener that blocks delays only its own subscription). When the connection drops or the
 * server stops, the subscription reconnects with jittered exponential backoff and resumes after the last offset
 * it delivered, checking the store's epoch, so a restart of the server is invisible to the listener. It ends
 * only when closed, when the server says the position cannot be resumed, on a non-retryable refusal, or when the
 * listener throws; {@link SubscriptionListener#onEnd} then tells which.
 *
 * <p><b>Timeouts.</b> Opening a stream (SSE, WebSocket) waits up to the client's {@code requestTimeout} for the
 * answer's headers; an open stream silent for {@link SubscribeOptions#idleTimeout()} (no message, heartbeat or
 * ping) is taken for dead and reconnected. A long poll waits {@link SubscribeOptions#longPollWait()} plus
 * {@code requestTimeout}. No timeout ends a subscription: each one leads to a reconnect.
 *
 * <p><b>Closing.</b> {@link #close()} (or the client's) stops delivery and waits up to 5 s for the listener's
 * current call; the subscription also ends by itself as said above.
 *
 * <p><b>Threads.</b> Thread-safe; {@link #close()} may be called from any thread, the listener's included, and
 * more than once.
 */
public interface Subscription extends AutoCloseable {
    String topic();

    Transport transport();

    /** The offset of the last message delivered (or the start position); -1 while unknown. */
    long lastOffset();

    boolean isOpen();

    /** Stops delivery and releases the connection; no listener call starts after this returns (except onEnd). */
    @Override
    void close();
}
