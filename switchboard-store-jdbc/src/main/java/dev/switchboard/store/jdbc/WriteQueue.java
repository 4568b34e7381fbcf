package dev.switchboard.store.jdbc;

import dev.switchboard.core.error.ErrorCode;
import dev.switchboard.core.error.SwitchboardException;
import java.util.ArrayDeque;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The bounded queue in front of a store's one writer thread, shared by the stores' group-commit
 * writers. Callers {@link #offer} without ever blocking: a full or closed queue refuses, saying why.
 * The writer {@link #take takes} the first task of a batch, waiting for one, then {@link #peek looks
 * at} and {@link #poll takes} what is queued behind it while the batch has room.
 *
 * @param <T> the writer's task type
 */
public final class WriteQueue<T> {
    /** Queued by {@link #close} so that a writer waiting on an empty queue notices. */
    private static final Object WAKEUP = new Object();
    /** Tasks moved from the queue per lock taken, when the writer fills a batch. */
    private static final int DRAIN = 1_000;

    private final int limit;
    private final String noun;
    private final BlockingQueue<Object> queue;
    // Moved out of the queue, in order, not taken yet. Writer thread only.
    private final ArrayDeque<Object> drained = new ArrayDeque<>();
    private volatile boolean closed;

    /** @param noun what the tasks are, for the busy refusal ("appends", "job writes") */
    public WriteQueue(int limit, String noun) {
        this.limit = limit;
        this.noun = noun;
        this.queue = new LinkedBlockingQueue<>(limit);
    }

    /** Queues {@code task}; answers null when queued, or the refusal ({@code what} names the task) when full or closed. */
    public SwitchboardException offer(T task, String what) {
        if (closed) {
            return closedError(what);
        }
        if (!queue.offer(task)) {
            return new SwitchboardException(ErrorCode.STORE_UNAVAILABLE, what + " refused: store busy: " + queue.size() + " " + noun
                    + " queued (limit " + limit + ")");
        }
        // close() may have come between the check and the offer, and the writer may have ended: if the
        // task is still queued nobody will run it, so take it back.
        if (closed && queue.remove(task)) {
            return closedError(what);
        }
        return null;
    }

    /** The next task, waiting for one; null once closed and empty. Writer thread only. */
    @SuppressWarnings("unchecked") // only offer(T) and WAKEUP put anything in
    public T take() {
        while (true) {
            Object next = drained.poll();
            if (next == null) {
                try {
                    next = closed ? queue.poll() : queue.take();
                } catch (InterruptedException e) {
                    continue; // nobody interrupts a writer on purpose; closing goes through the queue
                }
                if (next == null) {
                    return null;
                }
            }
            if (next != WAKEUP) {
                return (T) next;
            }
        }
    }

    /** The task {@link #poll} would take, without waiting; null when none is queued. Writer thread only. */
    @SuppressWarnings("unchecked")
    public T peek() {
        while (true) {
            if (drained.isEmpty()) {
                queue.drainTo(drained, DRAIN); // one lock for many tasks, not two (peek, poll) for each
            }
            Object next = drained.peek();
            if (next != WAKEUP) {
                return (T) next;
            }
            drained.poll();
        }
    }

    /** Takes the task {@link #peek} answered. Writer thread only. */
    public void poll() {
        drained.poll();
    }

    /** Refuses tasks from now on and wakes a waiting writer, which takes what is queued and then gets null. */
    public void close() {
        closed = true;
        queue.offer(WAKEUP); // a full queue needs no wake-up: the writer is busy draining it
    }

    public boolean isClosed() {
        return closed;
    }

    public static SwitchboardException closedError(String what) {
        return new SwitchboardException(ErrorCode.STORE_UNAVAILABLE, what + " refused: the store is closed");
    }
}
