package dev.switchboard.server.stream;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One streaming session's outbound byte budget: bytes handed to Netty and not yet written to the
 * socket. The hub's threads {@link #tryReserve reserve} before a batch is queued; the event loop
 * {@link #release releases} when the batch's write completes (or fails).
 *
 * <p>A batch that arrives while the session has room (below half the budget, the same line
 * {@link #writable()} waits for) is always taken, so one catch-up page larger than the budget does not
 * close a client that keeps up; a batch that arrives above that line and would pass the budget is
 * refused, and the session closes as a slow consumer. Memory per session thus stays below the budget
 * plus one batch.
 */
public final class OutboundBudget {
    private static final CompletableFuture<Void> ROOM = CompletableFuture.completedFuture(null);

    private final long limit;
    private final AtomicLong queued = new AtomicLong();
    private final AtomicReference<CompletableFuture<Void>> waiter = new AtomicReference<>(ROOM);
    private volatile boolean closed;

    public OutboundBudget(long limit) {
        this.limit = limit;
    }

    public long limit() {
        return limit;
    }

    public long queued() {
        return queued.get();
    }

    /** Counts {@code bytes} as queued; false (and nothing counted) when they do not fit: a slow consumer. */
    public boolean tryReserve(long bytes) {
        while (true) {
            long now = queued.get();
            if (now >= limit / 2 && now + bytes > limit) {
                return false;
            }
            if (queued.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    /** The bytes of a batch left Netty (written or dropped); wakes a waiting catch-up once below half. */
    public void release(long bytes) {
        if (queued.addAndGet(-bytes) < limit / 2) {
            waiter.get().complete(null);
        }
    }

    /** Completes when queued bytes are below half the budget, or the session closed. */
    public CompletionStage<Void> writable() {
        if (closed || queued.get() < limit / 2) {
            return ROOM;
        }
        CompletableFuture<Void> w = waiter.get();
        if (w.isDone()) {
            // Several subscriptions of one WebSocket may wait at once: they share one future.
            CompletableFuture<Void> fresh = new CompletableFuture<>();
            w = waiter.compareAndSet(w, fresh) ? fresh : waiter.get();
        }
        // A release may have slipped in before the waiter was published: check again.
        if (closed || queued.get() < limit / 2) {
            w.complete(null);
        }
        return w;
    }

    /** The session ended: nobody should wait for room any more. */
    public void close() {
        closed = true;
        waiter.get().complete(null);
    }

    /** The one log line of a slow-consumer close, with the numbers behind it. */
    public String slowConsumerLine(String transport, String topics, Object client, long refusedBytes, long lastOffset) {
        return "closing " + transport + " session on " + topics + " (client " + client + "): slow consumer, "
                + (queued() + refusedBytes) + " bytes queued (budget " + limit + "), last delivered offset " + lastOffset;
    }
}
