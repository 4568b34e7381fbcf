package dev.switchboard.core.hub;

import dev.switchboard.core.config.ServerConfig;
import dev.switchboard.core.error.CloseReason;
import dev.switchboard.core.error.ErrorCode;
import dev.switchboard.core.error.SwitchboardException;
import dev.switchboard.core.groups.GroupMetrics;
import dev.switchboard.core.groups.Groups;
import dev.switchboard.core.jobs.JobEvents;
import dev.switchboard.core.jobs.JobMetrics;
import dev.switchboard.core.jobs.Jobs;
import dev.switchboard.core.message.Message;
import dev.switchboard.core.message.Topics;
import dev.switchboard.core.store.AppendRequest;
import dev.switchboard.core.store.Appended;
import dev.switchboard.core.store.LogStore;
import dev.switchboard.core.store.Retention;
import dev.switchboard.core.store.TopicHead;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The middle of the data path: transports call the hub, the hub calls the store, and the store's
 * commits come back to the hub, which fans them out to live sessions.
 *
 * <p>Every method returns at once; store I/O runs on virtual threads, fan-out on the fan-out
 * executor. Callers on an event loop may call any method.
 */
public final class Hub implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Hub.class.getName());
    private static final Duration IDLE_TOPIC = Duration.ofMinutes(1);

    private final LogStore store;
    private final ServerConfig config;
    private final ExecutorService blocking = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("sb-store-", 0).factory());
    private final ExecutorService fanOut = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("sb-fanout-", 0).factory());
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("sb-hub-timer").factory());
    private final Map<String, TopicState> topics = new ConcurrentHashMap<>();
    private final AtomicInteger publishesInFlight = new AtomicInteger();
    private final TopicSignals signals = new TopicSignals();
    private final Groups groups;
    private final Jobs jobs;
    private volatile boolean stopping;

    public Hub(LogStore store, ServerConfig config) {
        this(store, config, GroupMetrics.NONE, JobEvents.PLAIN, JobMetrics.NONE);
    }

    /** @param jobEvents the wire form of job events on {@code _jobs/{id}} (the server's JSON) */
    public Hub(LogStore store, ServerConfig config, GroupMetrics groupMetrics, JobEvents jobEvents, JobMetrics jobMetrics) {
        this.store = store;
        this.config = config;
        this.groups = new Groups(store.groups(), config.groups(), config.limits(), blocking, signals, this::publish, groupMetrics);
        this.jobs = new Jobs(store.jobs(), config.jobs(), config.limits().maxWait(), blocking, signals, this::publishReserved, store::drop,
                jobEvents, jobMetrics);
        store.listen(this::appended);
        long every = config.retentionInterval().toMillis();
        timer.scheduleWithFixedDelay(() -> blocking.execute(this::applyRetention), every, every, TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(() -> retireIdleTopics(IDLE_TOPIC.toMillis()), IDLE_TOPIC.toMillis(), IDLE_TOPIC.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /**
     * Forgets the live side (ring, subscriber list) of every topic nobody has subscribed to, polled or read for
     * {@code idleMillis}: one is made for each topic ever read — every followed job's among them — and
     * without this the hub would keep them all. The next use loads the topic again from the store.
     * Returns how many remain.
     */
    int retireIdleTopics(long idleMillis) {
        long idleSince = System.currentTimeMillis() - idleMillis;
        topics.values().removeIf(t -> t.retireIfIdle(idleSince));
        return topics.size();
    }

    public String epoch() {
        return store.epoch();
    }

    /** Consumer groups over this hub's topics. */
    public Groups groups() {
        return groups;
    }

    /** Async jobs, their workers and their events. */
    public Jobs jobs() {
        return jobs;
    }

    /** True once {@link #shutdown} or {@link #close} began: transports say "server shutting down" when they close. */
    public boolean isStopping() {
        return stopping;
    }

    /** Validate → append (group-committed by the store) → the store's listener fans out → answer. */
    public CompletableFuture<Appended> publish(AppendRequest request) {
        Topics.requireValid(request.topic());
        return append(request);
    }

    /** The server's own events on its reserved topics ({@code _jobs/{id}}); clients cannot publish there. */
    private CompletableFuture<Appended> publishReserved(AppendRequest request) {
        if (!Topics.isReserved(request.topic())) {
            throw new IllegalArgumentException("not a reserved topic: " + request.topic());
        }
        return append(request);
    }

    private CompletableFuture<Appended> append(AppendRequest request) {
        if (stopping) {
            return CompletableFuture.failedFuture(new SwitchboardException(ErrorCode.SHUTTING_DOWN,
                    "publish to '" + request.topic() + "' refused: the server is shutting down"));
        }
        publishesInFlight.incrementAndGet();
        CompletableFuture<Appended> result;
        try {
            result = store.append(request);
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        return result.handle((appended, error) -> {
            publishesInFlight.decrementAndGet();
            if (error != null) {
                throw SwitchboardException.fromStore("publish to '" + request.topic() + "'", error);
            }
            return appended;
        });
    }

    /** Short poll: what is there now after {@code after} (null = from the current end). */
    public CompletableFuture<ReadResult> read(String topic, Long after, int limit, String epoch) {
        return state(topic, epoch).thenCompose(t -> {
            long from = resolveAfter(t, after);
            List<Message> ring = t.fromRing(from, limit);
            if (ring != null) {
                return CompletableFuture.completedFuture(result(topic, from, ring, 0));
            }
            return CompletableFuture.supplyAsync(() -> readStore(topic, from, limit), blocking);
        });
    }

    /**
     * Long poll: like {@link #read}, but when nothing is there yet, waits up to {@code wait} for the
     * next message. Cancelling the returned future (the client went away) removes the waiter.
     */
    public CompletableFuture<ReadResult> poll(String topic, Long after, int limit, Duration wait, String epoch) {
        CompletableFuture<ReadResult> answer = new CompletableFuture<>();
        state(topic, epoch).whenComplete((t, error) -> {
            if (error != null) {
                answer.completeExceptionally(error);
                return;
            }
            try {
                long from = resolveAfter(t, after);
                if (t.last() > from) {
                    read(topic, from, limit, null).whenComplete((r, e) -> complete(answer, r, e));
                    return;
                }
                Subscription sub = t.subscribe(new Waiter(this, topic, answer, limit, from), from);
                if (sub == null) { // retired in between: look again
                    poll(topic, after, limit, wait, epoch).whenComplete((r, e) -> complete(answer, r, e));
                    return;
                }
                var timeout = timer.schedule(() -> answer.complete(result(topic, from, List.of(), 0)),
                        wait.toMillis(), TimeUnit.MILLISECONDS);
                answer.whenComplete((r, e) -> {
                    timeout.cancel(false);
                    t.unsubscribe(sub);
                });
            } catch (RuntimeException e) {
                answer.completeExceptionally(e);
            }
        });
        return answer;
    }

    /** Starts live delivery to {@code session} of messages after {@code after} (null = only new ones). */
    public CompletableFuture<Subscription> subscribe(Session session, String topic, Long after, String epoch) {
        return state(topic, epoch).thenCompose(t -> {
            Subscription sub = t.subscribe(session, resolveAfter(t, after));
            return sub != null ? CompletableFuture.completedFuture(sub) : subscribe(session, topic, after, epoch);
        });
    }

    public void unsubscribe(Subscription subscription) {
        TopicState t = topics.get(subscription.topic());
        if (t != null) {
            t.unsubscribe(subscription);
        } else {
            subscription.cancelled = true;
        }
    }

    /** The topic's retained range and subscribers; fails with NOT_FOUND for a topic never published to. */
    public CompletableFuture<TopicInfo> info(String topic) {
        Topics.requireReadable(topic);
        return CompletableFuture.supplyAsync(() -> {
            TopicHead head = store.head(topic);
            TopicState t = topics.get(topic);
            Map<String, Integer> subs = t == null ? Map.of() : t.subscribersByTransport();
            if (!head.everPublished() && subs.isEmpty()) {
                throw new SwitchboardException(ErrorCode.NOT_FOUND, "topic '" + topic + "' has no messages and no subscribers");
            }
            return new TopicInfo(topic, head.first(), head.last(), head.count(), subs, store.epoch());
        }, blocking).exceptionallyCompose(e -> CompletableFuture.failedFuture(SwitchboardException.fromStore("info of '" + topic + "'", e)));
    }

    /** Topics known to the store, for listings. */
    public CompletableFuture<List<TopicHead>> topics() {
        return CompletableFuture.supplyAsync(store::topics, blocking);
    }

    /**
     * Graceful stop: refuse new publishes, let in-flight ones finish (up to {@code grace}), close every
     * session with a reason, then flush and close the store.
     */
    public void shutdown(Duration grace) {
        stopping = true;
        long deadline = System.nanoTime() + grace.toNanos();
        while (publishesInFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5); // waiting for the store's writer thread to answer in-flight publishes
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (TopicState t : topics.values()) {
            for (Subscription s : t.subscribers()) {
                s.session().close(CloseReason.SERVER_SHUTDOWN);
            }
        }
        close();
    }

    @Override
    public void close() {
        stopping = true;
        jobs.close();
        timer.shutdownNow();
        fanOut.shutdown();
        blocking.shutdown();
        try {
            blocking.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        store.close();
    }

    private void appended(String topic, List<Message> messages) {
        signals.appended(topic);
        TopicState t = topics.get(topic);
        if (t != null) {
            t.appended(messages);
        }
    }

    private CompletableFuture<TopicState> state(String topic, String epoch) {
        try {
            Topics.requireReadable(topic);
            if (epoch != null && !epoch.equals(store.epoch())) {
                throw new SwitchboardException(ErrorCode.CANNOT_RESUME, "cannot resume on topic '" + topic
                        + "': the position is from store epoch " + epoch + " but this store's epoch is " + store.epoch()
                        + " (its data was replaced); start again from after=0 or from the end");
            }
        } catch (SwitchboardException e) {
            return CompletableFuture.failedFuture(e);
        }
        TopicState t = topics.get(topic);
        if (t != null && t.isRetired()) {
            topics.remove(topic, t); // the sweep retired it a moment ago and has not removed it yet
            t = null;
        }
        if (t == null) {
            TopicState created = new TopicState(topic, config.ringSize(), store, fanOut, blocking);
            t = topics.putIfAbsent(topic, created);
            if (t == null) {
                // Loaded only once it is in the map: appends after the head read are then told to it.
                t = created;
                blocking.execute(() -> {
                    try {
                        created.load();
                    } catch (RuntimeException e) {
                        topics.remove(topic, created);
                        created.ready.completeExceptionally(SwitchboardException.fromStore("loading topic '" + topic + "'", e));
                    }
                });
            }
        }
        t.touch();
        return t.ready;
    }

    private static long resolveAfter(TopicState t, Long after) {
        long last = t.last();
        if (after == null) {
            return last;
        }
        if (after < 0) {
            throw new SwitchboardException(ErrorCode.BAD_REQUEST, "after=" + after + " is invalid: offsets start at 1, after=0 reads from the oldest");
        }
        if (after > last) {
            throw new SwitchboardException(ErrorCode.CANNOT_RESUME, "cannot resume topic '" + t.name + "' after offset " + after
                    + ": its last offset is " + last + " (was the store replaced?); resume from after=" + last + " or earlier");
        }
        return after;
    }

    private ReadResult readStore(String topic, long after, int limit) {
        List<Message> page;
        try {
            page = store.read(topic, after, limit);
        } catch (RuntimeException e) {
            throw SwitchboardException.fromStore("read of '" + topic + "'", e);
        }
        long skippedBefore = !page.isEmpty() && page.getFirst().offset() > after + 1 ? page.getFirst().offset() : 0;
        if (page.isEmpty()) {
            TopicHead head = store.head(topic);
            skippedBefore = head.first() > after + 1 ? head.first() : 0;
            after = Math.max(after, head.first() - 1);
        }
        return result(topic, after, page, skippedBefore);
    }

    private ReadResult result(String topic, long after, List<Message> messages, long skippedBefore) {
        long next = messages.isEmpty() ? after : messages.getLast().offset();
        return new ReadResult(topic, messages, next, skippedBefore, store.epoch());
    }

    private void applyRetention() {
        try {
            long now = System.currentTimeMillis();
            for (TopicHead head : store.topics()) {
                Retention r = config.retention().forTopic(head.topic());
                if (!r.equals(Retention.FOREVER) && head.count() > 0) {
                    long removed = store.trim(head.topic(), r, now);
                    TopicState t = topics.get(head.topic());
                    if (removed > 0 && t != null) {
                        t.retainFrom(store.head(head.topic()).first());
                    }
                    if (removed > 0) {
                        LOG.fine(() -> "retention removed " + removed + " messages from '" + head.topic() + "'");
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "retention pass failed; will retry in " + config.retentionInterval(), e);
        }
    }

    private static <T> void complete(CompletableFuture<T> f, T value, Throwable error) {
        if (error != null) {
            f.completeExceptionally(error);
        } else {
            f.complete(value);
        }
    }

    /** A long poll waiting for its first message: a session that answers once. */
    private record Waiter(Hub hub, String topic, CompletableFuture<ReadResult> answer, int limit, long after) implements Session {
        @Override
        public String transport() {
            return "long-poll";
        }

        @Override
        public void deliver(Subscription subscription, List<Message> messages) {
            List<Message> some = messages.size() > limit ? messages.subList(0, limit) : messages;
            answer.complete(hub.result(subscription.topic(), after, List.copyOf(some), 0));
        }

        @Override
        public void skipped(Subscription subscription, long after, long first) {
            answer.complete(hub.result(subscription.topic(), first - 1, List.of(), first));
        }

        @Override
        public java.util.concurrent.CompletionStage<Void> writable() {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public boolean isOpen() {
            return !answer.isDone();
        }

        @Override
        public void close(CloseReason reason) {
            answer.complete(hub.result(topic, after, List.of(), 0));
        }
    }
}
