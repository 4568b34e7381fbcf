package dev.switchboard.core.hub;

import dev.switchboard.core.error.CloseReason;
import dev.switchboard.core.message.Message;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * A client connection as the hub sees it: something that takes messages. Transports implement it
 * (SSE stream, WebSocket, a waiting long poll); the hub never sees a socket.
 *
 * <p>The hub calls {@link #deliver} and {@link #skipped} for one subscription from one thread at a
 * time, in offset order. Neither may block: a session queues what it gets and enforces its own
 * outbound budget, closing itself with {@link CloseReason#SLOW_CONSUMER} when the budget runs out.
 */
public interface Session {

    /** The transport's name, as counted in topic info and metrics: {@code sse}, {@code ws}, {@code long-poll}. */
    String transport();

    /** Messages of {@code subscription}, in offset order, continuing exactly where the last delivery ended. */
    void deliver(Subscription subscription, List<Message> messages);

    /**
     * Offsets after {@code after} and before {@code first} were removed by retention before this
     * subscriber read them: the client must be told it has a gap. Delivery continues at {@code first}.
     */
    void skipped(Subscription subscription, long after, long first);

    /** Completes when the session has room again; catch-up from the store waits on it. */
    CompletionStage<Void> writable();

    boolean isOpen();

    /** Ends the session, telling the client why. */
    void close(CloseReason reason);
}
