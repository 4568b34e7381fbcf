package dev.switchboard.bench.wire;

import io.netty.channel.Channel;
import java.util.concurrent.CompletableFuture;

/**
 * One subscriber on one topic: its cursor, a future completed once the server confirmed the
 * subscription (failed with the server's answer otherwise), and its channel to close.
 */
public final class Subscriber {
    private final Cursor cursor;
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private volatile Channel channel;
    private volatile boolean closing;

    Subscriber(Cursor cursor) {
        this.cursor = cursor;
    }

    public Cursor cursor() {
        return cursor;
    }

    public CompletableFuture<Void> ready() {
        return ready;
    }

    void attach(Channel ch) {
        this.channel = ch;
    }

    void confirmed() {
        ready.complete(null);
    }

    void failed(Throwable t) {
        ready.completeExceptionally(t);
    }

    /** True once the bench itself closes it: a close after that is not the server's doing. */
    boolean closing() {
        return closing;
    }

    public void close() {
        closing = true;
        Channel ch = channel;
        if (ch != null) {
            ch.close();
        }
    }
}
