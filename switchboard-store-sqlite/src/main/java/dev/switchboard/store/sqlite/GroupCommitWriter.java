package dev.switchboard.store.sqlite;

import dev.switchboard.core.error.ErrorCode;
import dev.switchboard.core.error.SwitchboardException;
import dev.switchboard.core.message.Message;
import dev.switchboard.core.message.MessageDraft;
import dev.switchboard.core.message.Topics;
import dev.switchboard.core.store.AppendListener;
import dev.switchboard.core.store.AppendRequest;
import dev.switchboard.core.store.Appended;
import dev.switchboard.core.store.Durability;
import dev.switchboard.core.store.Retention;
import dev.switchboard.core.store.StoreMetrics;
import dev.switchboard.store.sqlite.WriteConnection.KeyedResult;
import dev.switchboard.store.sqlite.WriteConnection.TopicRow;
import dev.switchboard.store.jdbc.StoreThreads;
import dev.switchboard.store.jdbc.WriteQueue;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one thread that writes. It takes every queued append and every queued {@link Work}
 * (consumer-group and job writes) up to a bound as one batch, in queue order, and commits the batch in
 * one transaction (group commit: one fsync for many callers); then it tells the listener of the
 * appends and completes their futures, on this thread, and has the work's futures completed
 * ({@link Answers}), in that order. Appends and work interleave in the queue (a job's write, then its
 * event), so they share batches: batching each kind apart would commit once per alternation. Each work
 * runs under its own savepoint, so that one refused or failed work undoes only itself; its caller
 * blocks until the commit.
 *
 * <p>Trims are queued here too and run between batches: every write stays on one thread, so the
 * database never sees two writers and the offsets cached here can never be stale. (A little over 400
 * lines: the batch, its offsets, its keys and the topics it touches are one transaction's bookkeeping.)
 */
final class GroupCommitWriter {
    private static final Logger LOG = Logger.getLogger(GroupCommitWriter.class.getName());
    static final int MAX_BATCH_REQUESTS = 1_000;
    static final int MAX_BATCH_MESSAGES = 10_000;
    private static final int CACHED_TOPICS = 10_000;
    private static final Duration MAX_PRUNE_INTERVAL = Duration.ofMinutes(1);

    /**
     * A write run on the writer thread inside a transaction the writer owns; it may use statements
     * prepared on the write connection, which nothing else may. A {@link SwitchboardException} it
     * throws is a refusal: its savepoint is rolled back and the caller gets the exception.
     */
    @FunctionalInterface
    interface Work<T> {
        T run() throws SQLException;
    }

    private sealed interface Task permits Append, Trim, Queued {}

    /** {@code savepoint} false: the work changes at most one statement's worth, which SQLite applies whole or not at all. */
    private record Queued<T>(String what, Work<T> work, boolean savepoint, CompletableFuture<T> future) implements Task {}

    private record Append(AppendRequest request, CompletableFuture<Appended> future) implements Task {}

    private record Trim(String topic, Retention retention, long nowMillis, CompletableFuture<Long> future) implements Task {}

    private final WriteConnection db;
    private final Clock clock;
    private final Duration keyTtl;
    private final Duration pruneInterval;
    private final StoreMetrics metrics;
    private final WriteQueue<Task> queue;
    private final Thread thread;
    private final Answers answers = new Answers();
    // Topic rows as of the last commit and the running batch, the most recently used ones (every job has a
    // topic, so all of them would grow without a bound); a miss reads the row. A topic a batch uses is never
    // evicted during it: a batch uses fewer topics than are kept. Writer thread only; cleared when a batch fails.
    private final Map<String, KnownTopic> topics = new LinkedHashMap<>(1_024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, KnownTopic> eldest) {
            return size() > CACHED_TOPICS;
        }
    };
    private long batchNumber;
    private volatile AppendListener listener = AppendListener.NONE;
    private long lastPruneMillis;

    GroupCommitWriter(WriteConnection db, Clock clock, Duration keyTtl, StoreMetrics metrics, int queueLimit) {
        this.db = db;
        this.clock = clock;
        this.keyTtl = keyTtl;
        this.pruneInterval = keyTtl.compareTo(MAX_PRUNE_INTERVAL) < 0 ? keyTtl : MAX_PRUNE_INTERVAL;
        this.metrics = metrics;
        this.queue = new WriteQueue<>(queueLimit, "writes");
        this.lastPruneMillis = clock.millis();
        // Daemon: every answered append is already committed, so the JVM exiting mid-batch loses none.
        this.thread = Thread.ofPlatform().name("sb-sqlite-writer").daemon().unstarted(this::run);
    }

    void start() {
        answers.start();
        thread.start();
    }

    void listen(AppendListener listener) {
        this.listener = listener;
    }

    CompletableFuture<Appended> append(AppendRequest request) {
        Append task = new Append(request, new CompletableFuture<>());
        SwitchboardException refused = queue.offer(task, "append to '" + request.topic() + "'");
        return refused == null ? task.future() : CompletableFuture.failedFuture(refused);
    }

    /** Blocks until the trim ran on the writer thread. */
    long trim(String topic, Retention retention, long nowMillis) {
        requireNotWriter("trim");
        Trim task = new Trim(topic, retention, nowMillis, new CompletableFuture<>());
        SwitchboardException refused = queue.offer(task, "trim of '" + topic + "'");
        if (refused != null) {
            throw refused;
        }
        try {
            return task.future().join();
        } catch (CompletionException e) {
            throw SwitchboardException.of(e);
        }
    }

    /** Drops topics on the writer thread, which also forgets their cached rows; returns how many existed. */
    int drop(List<String> names) {
        return run("drop of " + names.size() + " reserved topics", () -> {
            int dropped = 0;
            for (String name : names) {
                KnownTopic topic = known(name);
                if (topic != null) {
                    db.dropTopic(topic.id);
                    topics.remove(name);
                    dropped++;
                }
            }
            return dropped;
        });
    }

    /**
     * Runs {@code work} in a transaction committed with {@code synchronous=FULL} (what it writes must
     * survive a power loss) and returns its result once committed; blocks the caller until then.
     * {@code what} names it in errors.
     */
    <T> T run(String what, Work<T> work) {
        return run(what, work, true);
    }

    /**
     * Like {@link #run}, for work whose only change is one statement (or a refusal that changed nothing):
     * SQLite applies a statement whole or not at all, so it needs no savepoint — two statements less
     * per call, which job writes, several per job, feel.
     */
    <T> T runOneStatement(String what, Work<T> work) {
        return run(what, work, false);
    }

    private <T> T run(String what, Work<T> work, boolean savepoint) {
        requireNotWriter(what);
        Queued<T> task = new Queued<>(what, work, savepoint, new CompletableFuture<>());
        SwitchboardException refused = queue.offer(task, what);
        if (refused != null) {
            throw refused;
        }
        try {
            return task.future().join();
        } catch (CompletionException e) {
            throw SwitchboardException.of(e);
        }
    }

    /** Stops taking work, commits everything already queued, and waits for the thread to end. */
    void close() {
        requireNotWriter("close");
        queue.close();
        StoreThreads.awaitEnd(thread);
        answers.close();
    }

    private void run() {
        for (Task first; (first = queue.take()) != null; ) {
            switch (first) {
                case Append a -> commit(batchFrom(a));
                case Queued<?> q -> commit(batchFrom(q));
                case Trim t -> runTrim(t);
            }
        }
    }

    /** {@code first} plus every append and work queued behind it, up to the batch bounds. */
    private List<Task> batchFrom(Task first) {
        List<Task> batch = new ArrayList<>();
        batch.add(first);
        int messages = first instanceof Append a ? a.request().drafts().size() : 0;
        while (batch.size() < MAX_BATCH_REQUESTS) {
            Task next = queue.peek();
            int more = next instanceof Append a ? a.request().drafts().size() : 0;
            if (!(next instanceof Append || next instanceof Queued) || messages + more > MAX_BATCH_MESSAGES) {
                break;
            }
            queue.poll();
            batch.add(next);
            messages += more;
        }
        return batch;
    }

    private void commit(List<Task> batch) {
        long started = System.nanoTime();
        long now = clock.millis();
        boolean fsync = batch.stream().anyMatch(t -> t instanceof Queued || ((Append) t).request().durability() == Durability.SYNC);
        batchNumber++;
        List<KnownTopic> touched = new ArrayList<>();
        Map<String, Appended> keyedInBatch = new HashMap<>();
        List<Runnable> acks = new ArrayList<>(batch.size());
        List<Runnable> toAnswer = new ArrayList<>(batch.size());
        List<Appended> appended = new ArrayList<>();
        int appends = 0;
        int messages = 0;
        try {
            db.begin(fsync);
            createReservedTopics(batch);
            for (Task t : batch) {
                if (t instanceof Append a) {
                    Appended result = apply(a.request(), now, touched, keyedInBatch);
                    messages += result.messages().size();
                    appends++;
                    appended.add(result);
                    acks.add(() -> a.future().complete(result));
                } else {
                    toAnswer.add(attempt((Queued<?>) t));
                }
            }
            List<TopicRow> moved = new ArrayList<>();
            for (KnownTopic topic : touched) {
                if (topic.last != topic.stored) {
                    moved.add(topic.row());
                }
            }
            if (!moved.isEmpty()) {
                db.setLast(moved);
            }
            db.commit();
        } catch (SQLException | RuntimeException e) {
            db.rollback();
            topics.clear(); // they hold what the batch did
            SwitchboardException failure = new SwitchboardException(ErrorCode.STORE_UNAVAILABLE, "write failed in SQLite, "
                    + "nothing of its batch of " + batch.size() + " writes was written: " + e.getMessage(), e);
            List<Runnable> refusals = new ArrayList<>(batch.size());
            for (Task t : batch) {
                if (t instanceof Append a) {
                    a.future().completeExceptionally(failure);
                } else {
                    refusals.add(() -> ((Queued<?>) t).future().completeExceptionally(failure));
                }
            }
            answers.give(refusals);
            return;
        }
        touched.forEach(topic -> topic.stored = topic.last);
        if (appends > 0) {
            metrics.committed(appends, messages, System.nanoTime() - started);
        }
        for (Appended result : appended) {
            if (!result.duplicate()) {
                tell(result);
            }
        }
        // Only now: an answer promises the write is durable. A publish is answered here, with no second hop;
        // work (job and group calls, whose callers block) may be answered on the answering thread.
        acks.forEach(Runnable::run);
        answers.give(toAnswer);
        pruneKeysWhenDue(now);
    }

    private <T> Runnable attempt(Queued<T> q) throws SQLException {
        if (q.savepoint()) {
            db.savepoint();
        }
        try {
            T result = q.work().run();
            if (q.savepoint()) {
                db.release();
            }
            return () -> q.future().complete(result);
        } catch (SQLException | RuntimeException e) {
            if (q.savepoint()) {
                db.rollbackToSavepoint(); // throws when SQLite ended the whole transaction: the batch fails
            }
            SwitchboardException failure = e instanceof SwitchboardException refusal ? refusal
                    : new SwitchboardException(ErrorCode.STORE_UNAVAILABLE, q.what() + " failed in SQLite: " + e.getMessage(), e);
            return () -> q.future().completeExceptionally(failure);
        }
    }

    /** Assigns offsets to one request inside the batch's transaction, or answers a repeated key. */
    private Appended apply(AppendRequest r, long now, List<KnownTopic> touched, Map<String, Appended> keyedInBatch) throws SQLException {
        String topic = r.topic();
        String key = r.idempotencyKey();
        KnownTopic known = known(topic);
        if (key != null) {
            Appended seen = keyedInBatch.get(topic + '\n' + key);
            if (seen == null && known != null) {
                KeyedResult stored = db.key(known.id, key, now - keyTtl.toMillis());
                seen = stored == null ? null : new Appended(topic, stored.first(), stored.last(), stored.timeMillis(), false, List.of());
            }
            if (seen != null) {
                return new Appended(topic, seen.first(), seen.last(), seen.timeMillis(), true, List.of());
            }
        }
        if (known == null) {
            long last = r.drafts().size();
            known = new KnownTopic(db.createTopic(topic, last), 0, last);
            topics.put(topic, known);
        }
        if (known.batch != batchNumber) {
            known.batch = batchNumber;
            touched.add(known);
        }
        List<Message> added = new ArrayList<>(r.drafts().size());
        long first = known.last + 1;
        for (MessageDraft d : r.drafts()) {
            Message m = new Message(topic, ++known.last, now, d.contentType(), d.payload(), d.headers());
            db.add(known.id, m);
            added.add(m);
        }
        Appended result = new Appended(topic, first, known.last, now, false, added);
        if (key != null) {
            db.remember(known.id, key, new KeyedResult(result.first(), result.last(), now));
            keyedInBatch.put(topic + '\n' + key, result);
        }
        return result;
    }

    /** The topic as known, read from its row when not cached (and cached from then on); null when it does not exist. */
    private KnownTopic known(String topic) throws SQLException {
        KnownTopic known = topics.get(topic);
        if (known == null) {
            TopicRow row = db.topic(topic);
            if (row != null) {
                known = new KnownTopic(row.id(), row.last(), row.last());
                topics.put(topic, known);
            }
        }
        return known;
    }

    /**
     * Creates, in one statement, the reserved topics the batch appends to without a key that are not cached:
     * the server's own topics (a job's events) are born with their first event and stay cached while the job
     * runs, so such a miss is nearly always a new topic, and the insert comes before a lookup. Each is
     * created with the last offset the batch's unkeyed appends will give it; one that exists already is
     * read when its first append is applied.
     */
    private void createReservedTopics(List<Task> batch) throws SQLException {
        Map<String, Long> missing = new LinkedHashMap<>();
        for (Task t : batch) {
            if (t instanceof Append a && a.request().idempotencyKey() == null && !topics.containsKey(a.request().topic())
                    && Topics.isReserved(a.request().topic())) {
                missing.merge(a.request().topic(), (long) a.request().drafts().size(), Long::sum);
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        for (Map.Entry<String, Long> created : db.createReservedTopics(missing).entrySet()) {
            topics.put(created.getKey(), new KnownTopic(created.getValue(), 0, missing.get(created.getKey())));
        }
    }

    private void tell(Appended result) {
        try {
            listener.appended(result.topic(), result.messages());
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "append listener failed for '" + result.topic() + "' offsets " + result.first()
                    + ".." + result.last() + "; the messages are stored", e);
        }
    }

    private void runTrim(Trim t) {
        try {
            db.begin(false);
            KnownTopic topic = known(t.topic());
            long removed = topic == null ? 0 : db.trim(topic.row(), t.retention(), t.nowMillis());
            db.commit();
            t.future().complete(removed);
        } catch (SQLException | RuntimeException e) {
            db.rollback();
            t.future().completeExceptionally(new SwitchboardException(ErrorCode.STORE_UNAVAILABLE,
                    "trim of '" + t.topic() + "' failed in SQLite: " + e.getMessage(), e));
        }
    }

    private void pruneKeysWhenDue(long now) {
        if (now - lastPruneMillis < pruneInterval.toMillis()) {
            return;
        }
        lastPruneMillis = now;
        try {
            int pruned = db.pruneKeys(now - keyTtl.toMillis());
            LOG.fine(() -> "forgot " + pruned + " idempotency keys older than " + keyTtl);
        } catch (SQLException e) {
            LOG.log(Level.WARNING, "pruning idempotency keys failed; will retry in " + pruneInterval, e);
        }
    }

    private void requireNotWriter(String what) {
        if (Thread.currentThread() == thread || answers.isAnswering()) {
            throw new IllegalStateException(what + " called on the SQLite writer's threads (from a listener or an "
                    + "append callback) would wait for itself; run it on another thread");
        }
    }
}
