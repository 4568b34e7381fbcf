package dev.switchboard.client;

/**
 * A running member of a consumer group, started by {@link SwitchboardClient#consume}: it takes messages from the
 * server (a WebSocket with a prefetch window, or long-poll fetches), hands each to its {@link GroupHandler} and
 * acknowledges or nacks it by how the handler ended.
 *
 * <p>Delivery is at least once: a message is handed over again (with the next attempt) when the handler threw,
 * when its lease ran out, or when the connection was lost before its ack reached the server. Messages are handled
 * one at a time, from one thread that belongs to this consumer, in the order the server sent them (redeliveries
 * can come after later offsets). A lost connection or a server restart is followed by a reconnect with jittered
 * exponential backoff; the consumer ends only when closed or on a refusal that cannot be retried.
 *
 * <p><b>Timeouts.</b> A message is the handler's for the {@link ConsumeOptions#lease()} (null: the server's
 * {@code group-lease}); past it, it is delivered again. A fetch waits {@link ConsumeOptions#longPollWait()} plus
 * the client's {@code requestTimeout}; a WebSocket silent for {@link ConsumeOptions#idleTimeout()} is reconnected.
 *
 * <p><b>Threads.</b> Thread-safe; {@link #close()} may be called from any thread, the handler's included, and more
 * than once.
 */
public interface GroupConsumer extends AutoCloseable {
    String topic();

    String group();

    /** {@link Transport#WEBSOCKET} or {@link Transport#LONG_POLL}. */
    Transport transport();

    boolean isOpen();

    /**
     * Stops taking messages: lets the handler's current call finish (up to 5 s) and acknowledges it, then hands the
     * messages taken but not handled back to the group at once (a WebSocket {@code stop}; a nack with no delay for a
     * fetch), so other consumers get them without waiting for the lease. No handler call starts after this returns
     * (except {@link GroupHandler#onEnd}).
     */
    @Override
    void close();
}
