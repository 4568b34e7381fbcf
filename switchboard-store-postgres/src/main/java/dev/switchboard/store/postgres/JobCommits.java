package dev.switchboard.store.postgres;

import dev.switchboard.core.error.ErrorCode;
import dev.switchboard.core.error.SwitchboardException;
import dev.switchboard.store.jdbc.StoreThreads;
import dev.switchboard.store.jdbc.WriteQueue;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Group commit for job writes: one thread per node runs every queued job write (submit, claim, a
 * worker's call, cancel) inside one transaction on one borrowed connection, commits once, then answers
 * each caller: one WAL flush for many jobs instead of one each, as appends get from
 * {@link GroupCommitWriter}. Submits and completes are one statement for the whole batch ({@link Bulk});
 * the rest run one by one. Each write is guarded by its own condition, and a refusal is a read, not an
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

    /**
     * Writes of one kind that one statement makes for every caller in a batch (submits, completes): a
     * round trip per batch instead of one per job, which is what the writer's time went to.
     */
    interface Bulk<I, R> {
        /** A result per input, in input order; null for an input the statement did not take (its guard refused it). */
        List<R> runAll(Connection c, List<I> inputs) throws SQLException;

        /** One input the bulk statement did not take, on its own: answers or throws the refusal that says why. */
        R runOne(Connection c, I input) throws SQLException;
    }

    private sealed interface Task {
        CompletableFuture<?> future();
    }

    private record Single<T>(Work<T> work, CompletableFuture<T> future) implements Task {}

    private record Batched<I, R>(Bulk<I, R> bulk, I input, CompletableFuture<R> future) implements Task {}

    private final Pool pool;
    private final WriteQueue<Task> queue;
    private final Thread thread;

    JobCommits(Pool pool, int queueLimit) {
        this.pool = pool;
        this.queue = new WriteQueue<>(queueLimit, "job writes");
        this.thread = Thread.ofPlatform().name("sb-postgres-jobs").daemon().unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    /** Runs {@code work} in the next batch; blocks until that batch committed (or failed). */
    <T> T run(String what, Work<T> work) {
        return await(what, new Single<>(work, new CompletableFuture<>()));
    }

    /** Runs {@code input} in the next batch's one statement of {@code bulk}; blocks until that batch committed (or failed). */
    <I, R> R run(String what, Bulk<I, R> bulk, I input) {
        return await(what, new Batched<>(bulk, input, new CompletableFuture<>()));
    }

    private <T> T await(String what, Task task) {
        SwitchboardException refused = queue.offer(task, what);
        if (refused != null) {
            throw refused;
        }
        try {
            @SuppressWarnings("unchecked") // the future of a Single<T> or a Batched<?, T>
            T result = (T) task.future().join();
            return result;
        } catch (CompletionException e) {
            throw SwitchboardException.of(e);
        }
    }

    /** Stops taking work, commits what is queued, and waits for the thread to end. */
    void close() {
        queue.close();
        StoreThreads.awaitEnd(thread);
    }

    private void run() {
        for (Task first; (first = queue.take()) != null; ) {
            List<Task> batch = new ArrayList<>();
            batch.add(first);
            for (Task next; batch.size() < MAX_BATCH && (next = queue.peek()) != null; queue.poll()) {
                batch.add(next);
            }
            commit(batch);
        }
    }

    /**
     * The bulk statements first (a claim in the same batch then sees the jobs submitted beside it), then
     * the single writes in queue order. Writes in one batch were all waiting at once, so any order
     * among them is one they could have had.
     */
    private void commit(List<Task> batch) {
        List<Runnable> answers = new ArrayList<>(batch.size());
        try (Connection c = pool.borrow("a batch of " + batch.size() + " job writes")) {
            c.setAutoCommit(false);
            try {
                for (List<Batched<?, ?>> sameBulk : byBulk(batch)) {
                    runBulk(c, sameBulk, answers);
                }
                for (Task t : batch) {
                    if (t instanceof Single<?> single) {
                        answers.add(runSingle(c, single));
                    }
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

    private static Collection<List<Batched<?, ?>>> byBulk(List<Task> batch) {
        Map<Bulk<?, ?>, List<Batched<?, ?>>> groups = new LinkedHashMap<>();
        for (Task t : batch) {
            if (t instanceof Batched<?, ?> b) {
                groups.computeIfAbsent(b.bulk(), k -> new ArrayList<>()).add(b);
            }
        }
        return groups.values();
    }

    private static <T> Runnable runSingle(Connection c, Single<T> single) throws SQLException {
        return attempt(single.future(), () -> single.work().run(c));
    }

    @SuppressWarnings("unchecked") // byBulk grouped them by their one Bulk<I, R>
    private static <I, R> void runBulk(Connection c, List<Batched<?, ?>> group, List<Runnable> answers) throws SQLException {
        List<Batched<I, R>> tasks = (List<Batched<I, R>>) (List<?>) group;
        Bulk<I, R> bulk = tasks.getFirst().bulk();
        List<R> results = bulk.runAll(c, tasks.stream().map(Batched::input).toList());
        for (int i = 0; i < tasks.size(); i++) {
            Batched<I, R> t = tasks.get(i);
            R result = results.get(i);
            answers.add(result != null ? () -> t.future().complete(result) : attempt(t.future(), () -> bulk.runOne(c, t.input())));
        }
    }

    /** Runs one write; a refusal (its guard matched nothing) is answered after the commit, like a result. */
    private static <T> Runnable attempt(CompletableFuture<T> future, Callable<T> write) throws SQLException {
        try {
            T result = write.call();
            return () -> future.complete(result);
        } catch (SwitchboardException refusal) {
            return () -> future.completeExceptionally(refusal);
        }
    }

    @FunctionalInterface
    private interface Callable<T> {
        T call() throws SQLException;
    }
}
