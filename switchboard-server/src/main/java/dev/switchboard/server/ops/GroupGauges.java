package dev.switchboard.server.ops;

import dev.switchboard.core.groups.GroupMetrics;
import dev.switchboard.core.groups.Groups;
import dev.switchboard.core.store.GroupState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Consumer-group metrics: counters of what groups did, and per group (of those this node served)
 * gauges of committed offset, lag, in-flight messages and the age of the oldest unacknowledged one.
 * The gauges read a snapshot refreshed from the store every few seconds, so a scrape never waits for I/O.
 */
final class GroupGauges implements GroupMetrics {
    private static final Logger LOG = Logger.getLogger(GroupGauges.class.getName());
    static final long REFRESH_MILLIS = 2_000;

    private final MeterRegistry registry;
    private final Counter delivered;
    private final Counter redelivered;
    private final Counter acked;
    private final Counter nacked;
    private final Counter deadLettered;
    private final Map<String, GroupState> snapshot = new ConcurrentHashMap<>();
    private ScheduledExecutorService refresher;

    GroupGauges(MeterRegistry registry) {
        this.registry = registry;
        delivered = counter("switchboard.group.deliveries", "messages handed out by consumer groups", "first");
        redelivered = counter("switchboard.group.deliveries", "messages handed out by consumer groups", "redelivery");
        acked = Counter.builder("switchboard.group.acks").description("messages acknowledged").register(registry);
        nacked = Counter.builder("switchboard.group.nacks").description("messages given back by a nack").register(registry);
        deadLettered = Counter.builder("switchboard.group.dead.letters").description("messages moved to {topic}.dlq").register(registry);
    }

    /** Starts refreshing the per-group gauges from {@code groups}. */
    synchronized void refreshFrom(Groups groups) {
        refresher = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("sb-group-gauges").factory());
        refresher.scheduleWithFixedDelay(() -> refresh(groups), REFRESH_MILLIS, REFRESH_MILLIS, TimeUnit.MILLISECONDS);
    }

    synchronized void stop() {
        if (refresher != null) {
            refresher.shutdownNow();
        }
    }

    @Override
    public void served(String topic, String group) {
        String key = topic + '\n' + group;
        if (snapshot.containsKey(key)) {
            return;
        }
        if (snapshot.putIfAbsent(key, new GroupState(topic, group, 0, 0, 0, 0, 0, 0)) == null) {
            gauge("switchboard.group.committed", "last offset up to which every message is acknowledged", topic, group, key,
                    GroupState::committed);
            gauge("switchboard.group.lag", "messages not yet acknowledged by the group", topic, group, key, GroupState::lag);
            gauge("switchboard.group.in.flight", "messages leased and not yet acknowledged", topic, group, key, GroupState::inFlight);
            gauge("switchboard.group.oldest.unacked.age.seconds", "age of the oldest message the group has not acknowledged",
                    topic, group, key, s -> s.oldestUnackedMillis() == 0 ? 0 : (System.currentTimeMillis() - s.oldestUnackedMillis()) / 1000.0);
        }
    }

    @Override
    public void delivered(int messages, int redeliveries) {
        delivered.increment(messages - redeliveries);
        redelivered.increment(redeliveries);
    }

    @Override
    public void acked(int messages) {
        acked.increment(messages);
    }

    @Override
    public void nacked(int messages) {
        nacked.increment(messages);
    }

    @Override
    public void deadLettered(int messages) {
        deadLettered.increment(messages);
    }

    private void refresh(Groups groups) {
        for (String key : snapshot.keySet()) {
            int cut = key.indexOf('\n');
            try {
                GroupState s = groups.state(key.substring(0, cut), key.substring(cut + 1)).get(10, TimeUnit.SECONDS);
                snapshot.put(key, s);
            } catch (Exception e) {
                LOG.log(Level.FINE, "refreshing group gauges failed; the last values stay", e);
            }
        }
    }

    private Counter counter(String name, String description, String kind) {
        return Counter.builder(name).description(description).tag("kind", kind).register(registry);
    }

    private void gauge(String name, String description, String topic, String group, String key, ToDoubleFunction<GroupState> value) {
        Gauge.builder(name, snapshot, m -> value.applyAsDouble(m.get(key))).description(description)
                .tag("topic", topic).tag("group", group).register(registry);
    }
}
