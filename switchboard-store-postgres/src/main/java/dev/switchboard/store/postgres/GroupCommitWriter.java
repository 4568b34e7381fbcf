package dev.switchboard.store.postgres;

import dev.switchboard.core.error.ErrorCode;
import dev.switchboard.core.error.SwitchboardException;
import dev.switchboard.core.store.AppendRequest;
import dev.switchboard.core.store.Appended;
import dev.switchboard.core.store.StoreMetrics;
import dev.switchboard.store.jdbc.StoreThreads;
import dev.switchboard.store.jdbc.WriteQueue;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one thread per node that writes. It takes every queued append (up to a bound) as one batch and
 * commits it in one transaction on one borrowed connection (group commit: one WAL flush for many
 * publishes), then tells the {@link Tellers} and completes the futures, in that order.
 *
 * <p>Other nodes write the same tables at the same time; {@link Batch} makes that safe.
 */
final class GroupCommitWriter {
    private static final Logger LOG = Logger.getLogger(GroupCommitWriter.class.getName());
    static final int MAX_BATCH_REQUESTS = 1_000;
    static final int MAX_BATCH_MESSAGES = 10_000;
    private static final Duration MAX_PRUNE_INTERVAL = Duration.ofMinutes(1);

    private record Append(AppendRequest request, CompletableFuture<Appended> future) {}

    private final Pool pool;
    private final Clock clock;
    private final Duration keyTtl;
    private final Duration pruneInterval;
    private final StoreMetrics metrics;
    private final Tellers tellers;
    private final WriteQueue<Append> queue;
    private final Thread thread;
    private long lastPruneMillis;

    GroupCommitWriter(Pool pool, Clock clock, Duration keyTtl, StoreMetrics metrics, Tellers tellers, int queueLimit) {
        this.pool = pool;
        this.clock = clock;
        this.keyTtl = keyTtl;
        this.pruneInterval = keyTtl.compareTo(MAX_PRUNE_INTERVAL) < 0 ? keyTtl : MAX_PRUNE_INTERVAL;
        this.metrics = metrics;
        this.tellers = tellers;
        this.queue = new WriteQueue<>(queueLimit, "appends");
        this.lastPruneMillis = clock.millis();
        // Daemon: every answered append is already committed, so the JVM exiting mid-batch loses none.
        this.thread = Thread.ofPlatform().name("sb-postgres-writer").daemon().unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    CompletableFuture<Appended> append(AppendRequest request) {
        Append task = new Append(request, new CompletableFuture<>());
        SwitchboardException refused = queue.offer(task, "append to '" + request.topic() + "'");
        return refused == null ? task.future() : CompletableFuture.failedFuture(refused);
    }

    /** Stops taking work, commits everything already queued, and waits for the thread to end. */
    void close() {
        if (Thread.currentThread() == thread) {
            throw new IllegalStateException("close called on the PostgreSQL writer thread would wait for itself");
        }
        queue.close();
        StoreThreads.awaitEnd(thread);
    }

    private void run() {
        for (Append first; (first = queue.take()) != null; ) {
            commit(batchFrom(first));
        }
    }

    /** {@code first} plus every append queued behind it, up to the batch bounds. */
    private List<Append> batchFrom(Append first) {
        List<Append> batch = new ArrayList<>();
        batch.add(first);
        int messages = first.request().drafts().size();
        while (batch.size() < MAX_BATCH_REQUESTS && queue.peek() instanceof Append next
                && messages + next.request().drafts().size() <= MAX_BATCH_MESSAGES) {
            queue.poll();
            batch.add(next);
            messages += next.request().drafts().size();
        }
        return batch;
    }

    private void commit(List<Append> batch) {
        long started = System.nanoTime();
        long now = clock.millis();
        List<AppendRequest> requests = batch.stream().map(Append::request).toList();
        List<Appended> results;
        try (Connection c = pool.borrow("append of a batch of " + batch.size())) {
            results = new Batch(c, requests, now, keyTtl).commit();
        } catch (SQLException | RuntimeException e) {
            SwitchboardException failure = e instanceof SwitchboardException s ? s
                    : new SwitchboardException(ErrorCode.STORE_UNAVAILABLE, "append failed in PostgreSQL, nothing of its batch of "
                            + batch.size() + " appends was acknowledged: " + e.getMessage(), e);
            batch.forEach(a -> a.future().completeExceptionally(failure));
            return;
        }
        metrics.committed(batch.size(), results.stream().mapToInt(r -> r.messages().size()).sum(), System.nanoTime() - started);
        for (Appended result : results) {
            if (!result.duplicate()) {
                tellers.committedHere(result);
            }
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).future().complete(results.get(i));
        }
        pruneKeysWhenDue(now);
    }

    private void pruneKeysWhenDue(long now) {
        if (now - lastPruneMillis < pruneInterval.toMillis()) {
            return;
        }
        lastPruneMillis = now;
        try {
            int pruned = pool.with("pruning idempotency keys", c -> {
                try (var delete = c.prepareStatement("DELETE FROM idempotency_keys WHERE time_ms < ?")) {
                    delete.setLong(1, now - keyTtl.toMillis());
                    return delete.executeUpdate();
                }
            });
            LOG.fine(() -> "forgot " + pruned + " idempotency keys older than " + keyTtl);
        } catch (SwitchboardException e) {
            LOG.log(Level.WARNING, "pruning idempotency keys failed; will retry in " + pruneInterval, e);
        }
    }
}
