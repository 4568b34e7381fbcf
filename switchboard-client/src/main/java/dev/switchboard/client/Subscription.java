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
 * <p>Thread-safe; {@link #close()} may be called from any thread, the listener's included, and more than once.
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
