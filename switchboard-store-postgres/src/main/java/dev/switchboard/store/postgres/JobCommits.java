package dev.switchboard.store.postgres;

import dev.switchboard.core.error.ErrorCode;
import dev.switchboard.core.error.SwitchboardException;
import dev.switchboard.store.jdbc.StoreThreads;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Group commit for job writes: one thread per node runs every queued job write (submit, claim, a
 * worker's call, cancel) in queue order inside one transaction on one borrowed connection, commits
 * once, then answers each caller — one WAL flush for many jobs instead of one each, as appends get
 * from {@link GroupCommitWriter}. Each write is one guarded statement whose refusal is a read, not an
 * SQL error, so one refused write leaves the rest of its batch alone; an SQL error (a deadlock with
 * another node's batch, a lost connection) fails the whole batch, retryably.
 *
 * <p>Kept apart from the appends' writer: a job's row locks and the topics' counter locks are then
 * never held by one transaction, so the two writers cannot deadlock each other.
 */
final class JobCommits {
    static final int MAX_BATCH = 500;

    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private record Task<T>(String what, Work<T> work, CompletableFuture<T> future) {}

    private static final Task<Void> WAKEUP = new Task<>("wake-up", c -> null, null);

    private final Pool pool;
    private final int queueLimit;
    private final BlockingQueue<Task<?>> queue;
    private final ArrayDeque<Task<?>> taken = new ArrayDeque<>(); // writer thread only
    private final Thread thread;
    private volatile boolean closed;

    JobCommits(Pool pool, int queueLimit) {
        this.pool = pool;
        this.queueLimit = queueLimit;
        this.queue = new LinkedBlockingQueue<>(queueLimit);
        this.thread = Thread.ofPlatform().name("sb-postgres-jobs").daemon().unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    /** Runs {@code work} in the next batch; blocks until that batch committed (or failed). */
    <T> T run(String what, Work<T> work) {
        if (closed) {
            throw closedError(what);
        }
        Task<T> task = new Task<>(what, work, new CompletableFuture<>());
        if (!queue.offer(task)) {
            throw new SwitchboardException(ErrorCode.STORE_UNAVAILABLE, what + " refused: store busy: " + queue.size()
                    + " job writes queued (limit " + queueLimit + ")");
        }
        if (closed && queue.remove(task)) {
            throw closedError(what);
        }
        try {
            return task.future().join();
        } catch (CompletionException e) {
            throw SwitchboardException.of(e);
        }
    }

    /** Stops taking work, commits what is queued, and waits for the thread to end. */
    void close() {
        closed = true;
        queue.offer(WAKEUP);
        StoreThreads.awaitEnd(thread);
    }

    private void run() {
        while (true) {
            if (taken.isEmpty()) {
                Task<?> first;
                try {
                    first = closed ? queue.poll() : queue.take();
                } catch (InterruptedException e) {
                    continue; // closing goes through the queue
                }
                if (first == null) {
                    return;
                }
                taken.add(first);
            }
            queue.drainTo(taken, MAX_BATCH);
            List<Task<?>> batch = new ArrayList<>();
            while (!taken.isEmpty() && batch.size() < MAX_BATCH) {
                Task<?> t = taken.poll();
                if (t != WAKEUP) {
                    batch.add(t);
                }
            }
            if (!batch.isEmpty()) {
                commit(batch);
            }
        }
    }

    private void commit(List<Task<?>> batch) {
        List<Runnable> answers = new ArrayList<>(batch.size());
        try (Connection c = pool.borrow("a batch of " + batch.size() + " job writes")) {
            c.setAutoCommit(false);
            try {
                for (Task<?> t : batch) {
                    answers.add(attempt(t, c));
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException | RuntimeException e) {
            SwitchboardException failure = e instanceof SwitchboardException s ? s : new SwitchboardException(ErrorCode.STORE_UNAVAILABLE,
                    "job writes failed in PostgreSQL, none of their batch of " + batch.size() + " was written: " + e.getMessage(), e);
            batch.forEach(t -> t.future().completeExceptionally(failure));
            return;
        }
        answers.forEach(Runnable::run); // only now: an answer promises the write is committed
    }

    /** Runs one write; a refusal (its guard matched nothing) is answered after the commit, like a result. */
    private static <T> Runnable attempt(Task<T> t, Connection c) throws SQLException {
        try {
            T result = t.work().run(c);
            return () -> t.future().complete(result);
        } catch (SwitchboardException refusal) {
            return () -> t.future().completeExceptionally(refusal);
        }
    }

    private static SwitchboardException closedError(String what) {
        return new SwitchboardException(ErrorCode.STORE_UNAVAILABLE, what + " refused: the store is closed");
    }
}
