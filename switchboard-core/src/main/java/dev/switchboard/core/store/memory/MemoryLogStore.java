package dev.switchboard.core.store.memory;

import dev.switchboard.core.message.Message;
import dev.switchboard.core.message.MessageDraft;
import dev.switchboard.core.message.Topics;
import dev.switchboard.core.store.AppendListener;
import dev.switchboard.core.store.AppendRequest;
import dev.switchboard.core.store.Appended;
import dev.switchboard.core.store.GroupStore;
import dev.switchboard.core.store.JobStore;
import dev.switchboard.core.store.LogStore;
import dev.switchboard.core.store.Retention;
import dev.switchboard.core.store.TopicHead;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * A store that keeps everything in memory: for tests and for trying things out. It passes the same
 * contract suite as the durable stores, but a restart loses everything (and so changes the epoch).
 */
public final class MemoryLogStore implements LogStore {
    private final String epoch = UUID.randomUUID().toString();
    private final Clock clock;
    private final Duration idempotencyTtl;
    private final Map<String, TopicLog> topics = new HashMap<>();
    private final LinkedHashMap<String, Remembered> keys = new LinkedHashMap<>();
    private final MemoryGroupStore groups = new MemoryGroupStore(this);
    private final MemoryJobStore jobs = new MemoryJobStore();
    private AppendListener listener = AppendListener.NONE;
    private boolean closed;

    public MemoryLogStore() {
        this(Clock.systemUTC(), Duration.ofHours(24));
    }

    public MemoryLogStore(Clock clock, Duration idempotencyTtl) {
        this.clock = clock;
        this.idempotencyTtl = idempotencyTtl;
    }

    @Override
    public String epoch() {
        return epoch;
    }

    @Override
    public synchronized void listen(AppendListener listener) {
        this.listener = listener;
    }

    @Override
    public synchronized CompletableFuture<Appended> append(AppendRequest request) {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("store closed"));
        }
        long now = clock.millis();
        forgetExpiredKeys(now);
        String key = request.idempotencyKey() == null ? null : request.topic() + "\n" + request.idempotencyKey();
        if (key != null && keys.containsKey(key)) {
            Appended first = keys.get(key).result;
            return CompletableFuture.completedFuture(
                    new Appended(first.topic(), first.first(), first.last(), first.timeMillis(), true, List.of()));
        }
        TopicLog log = topics.computeIfAbsent(request.topic(), t -> new TopicLog());
        List<Message> added = new ArrayList<>(request.drafts().size());
        for (MessageDraft d : request.drafts()) {
            Message m = new Message(request.topic(), ++log.last, now, d.contentType(), d.payload(), d.headers());
            log.messages.add(m);
            added.add(m);
        }
        Appended result = new Appended(request.topic(), added.getFirst().offset(), log.last, now, false, added);
        if (key != null) {
            keys.put(key, new Remembered(now, result));
        }
        listener.appended(request.topic(), added);
        return CompletableFuture.completedFuture(result);
    }

    @Override
    public synchronized List<Message> read(String topic, long after, int limit) {
        TopicLog log = topics.get(topic);
        if (log == null || log.messages.isEmpty()) {
            return List.of();
        }
        long first = log.messages.getFirst().offset();
        int from = (int) Math.max(0, after + 1 - first);
        int to = Math.min(log.messages.size(), from + limit);
        return from >= to ? List.of() : List.copyOf(log.messages.subList(from, to));
    }

    @Override
    public synchronized TopicHead head(String topic) {
        TopicLog log = topics.get(topic);
        return log == null ? TopicHead.empty(topic) : log.head(topic);
    }

    @Override
    public synchronized List<TopicHead> topics() {
        List<TopicHead> heads = new ArrayList<>();
        topics.forEach((name, log) -> {
            if (!Topics.isReserved(name)) {
                heads.add(log.head(name));
            }
        });
        return heads;
    }

    @Override
    public synchronized int drop(List<String> reservedTopics) {
        int dropped = 0;
        for (String topic : reservedTopics) {
            Topics.requireReserved(topic);
            if (topics.remove(topic) != null) {
                dropped++;
            }
            keys.keySet().removeIf(k -> k.startsWith(topic + "\n"));
        }
        return dropped;
    }


    @Override
    public synchronized long trim(String topic, Retention retention, long nowMillis) {
        TopicLog log = topics.get(topic);
        if (log == null) {
            return 0;
        }
        int size = log.messages.size();
        int removed = retention.maxMessages() > 0 ? (int) Math.max(0, size - retention.maxMessages()) : 0;
        long oldestKept = nowMillis - retention.maxAge().toMillis();
        while (!retention.maxAge().isZero() && removed < size && log.messages.get(removed).timeMillis() < oldestKept) {
            removed++;
        }
        log.messages.subList(0, removed).clear();
        return removed;
    }

    @Override
    public GroupStore groups() {
        return groups;
    }

    @Override
    public JobStore jobs() {
        return jobs;
    }

    @Override
    public synchronized void close() {
        closed = true;
    }

    private void forgetExpiredKeys(long now) {
        Iterator<Remembered> it = keys.values().iterator();
        while (it.hasNext() && it.next().atMillis < now - idempotencyTtl.toMillis()) {
            it.remove();
        }
    }

    private static final class TopicLog {
        final List<Message> messages = new ArrayList<>();
        long last;

        TopicHead head(String name) {
            return new TopicHead(name, messages.isEmpty() ? last + 1 : messages.getFirst().offset(), last);
        }
    }

    private record Remembered(long atMillis, Appended result) {}
}
