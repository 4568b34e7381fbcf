package dev.switchboard.store.postgres;

import dev.switchboard.core.error.ErrorCode;
import dev.switchboard.core.error.SwitchboardException;
import dev.switchboard.core.store.AppendRequest;
import dev.switchboard.core.store.Appended;
import dev.switchboard.core.store.StoreMetrics;
import dev.switchboard.store.jdbc.StoreThreads;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
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

    /** A queued append; a null request is close()'s wake-up. */
    private record Append(AppendRequest request, CompletableFuture<Appended> future) {}

    private static final Append WAKEUP = new Append(null, null);

    private final Pool pool;
    private final Clock clock;
    private final Duration keyTtl;
    private final Duration pruneInterval;
    private final StoreMetrics metrics;
    private final Tellers tellers;
    private final int queueLimit;
    private final BlockingQueue<Append> queue;
    private final Thread thread;
    private volatile boolean closed;
    private long lastPruneMillis;

    GroupCommitWriter(Pool pool, Clock clock, Duration keyTtl, StoreMetrics metrics, Tellers tellers, int queueLimit) {
        this.pool = pool;
        this.clock = clock;
        this.keyTtl = keyTtl;
        this.pruneInterval = keyTtl.compareTo(MAX_PRUNE_INTERVAL) < 0 ? keyTtl : MAX_PRUNE_INTERVAL;
        this.metrics = metrics;
        this.tellers = tellers;
        this.queueLimit = queueLimit;
        this.queue = new LinkedBlockingQueue<>(queueLimit);
        this.lastPruneMillis = clock.millis();
        // Daemon: every answered append is already committed, so the JVM exiting mid-batch loses none.
        this.thread = Thread.ofPlatform().name("sb-postgres-writer").daemon().unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    CompletableFuture<Appended> append(AppendRequest request) {
        String what = "append to '" + request.topic() + "'";
        if (closed) {
            return CompletableFuture.failedFuture(closedError(what));
        }
        Append task = new Append(request, new CompletableFuture<>());
        if (!queue.offer(task)) {
            return CompletableFuture.failedFuture(new SwitchboardException(ErrorCode.STORE_UNAVAILABLE, what
                    + " refused: store busy: " + queue.size() + " appends queued (limit " + queueLimit + ")"));
        }
        // close() may have come between the check and the offer and the writer may have ended: take it back.
        if (closed && queue.remove(task)) {
            return CompletableFuture.failedFuture(closedError(what));
        }
        return task.future();
    }

    /** Stops taking work, commits everything already queued, and waits for the thread to end. */
    void close() {
        if (Thread.currentThread() == thread) {
            throw new IllegalStateException("close called on the PostgreSQL writer thread would wait for itself");
        }
        closed = true;
        queue.offer(WAKEUP); // a full queue needs no wake-up: the writer is busy draining it
        StoreThreads.awaitEnd(thread);
    }

    private void run() {
        while (true) {
            Append first;
            try {
                first = closed ? queue.poll() : queue.take();
            } catch (InterruptedException e) {
                continue; // nobody interrupts this thread on purpose; closing goes through the queue
            }
            if (first == null) {
                return;
            }
            if (first != WAKEUP) {
                commit(batchFrom(first));
            }
        }
    }

    /** {@code first} plus every append queued behind it, up to the batch bounds. */
    private List<Append> batchFrom(Append first) {
        List<Append> batch = new ArrayList<>();
        batch.add(first);
        int messages = first.request().drafts().size();
        // Only this thread takes from the queue, so what peek() saw is what poll() removes.
        while (batch.size() < MAX_BATCH_REQUESTS && queue.peek() instanceof Append next && next != WAKEUP
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

    private static SwitchboardException closedError(String what) {
        return new SwitchboardException(ErrorCode.STORE_UNAVAILABLE, what + " refused: the store is closed");
    }
}
