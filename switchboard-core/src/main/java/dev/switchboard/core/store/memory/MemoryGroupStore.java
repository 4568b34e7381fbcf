package dev.switchboard.core.store.memory;

import dev.switchboard.core.message.Message;
import dev.switchboard.core.store.GroupState;
import dev.switchboard.core.store.GroupStore;
import dev.switchboard.core.store.LeaseRefusals;
import dev.switchboard.core.store.LeaseRequest;
import dev.switchboard.core.store.Leased;
import dev.switchboard.core.store.Leased.Delivery;
import dev.switchboard.core.store.TopicHead;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/** Consumer groups of the {@link MemoryLogStore}; every call holds the log store's lock, so each is atomic. */
final class MemoryGroupStore implements GroupStore {
    private final MemoryLogStore log;
    private final Map<String, Map<String, Group>> byTopic = new HashMap<>();

    MemoryGroupStore(MemoryLogStore log) {
        this.log = log;
    }

    @Override
    public Leased lease(LeaseRequest r) {
        synchronized (log) {
            Group g = group(r.topic(), r.group(), true);
            String token = UUID.randomUUID().toString();
            long now = r.nowMillis();
            List<Delivery> deliveries = new ArrayList<>();
            List<Delivery> exhausted = new ArrayList<>();
            for (var it = g.pending.entrySet().iterator(); it.hasNext() && deliveries.size() < r.max(); ) {
                var e = it.next();
                Pending p = e.getValue();
                if (!p.dueAt(now)) {
                    continue;
                }
                Message m = message(r.topic(), e.getKey());
                if (m == null) {
                    it.remove(); // removed by retention before it was acknowledged: nothing left to deliver
                    continue;
                }
                p.token = token;
                p.leaseUntil = now + r.leaseMillis();
                if (p.attempts >= r.maxAttempts()) {
                    exhausted.add(new Delivery(m, p.attempts, p.lastError));
                } else {
                    p.attempts++;
                    deliveries.add(new Delivery(m, p.attempts, p.lastError));
                }
            }
            if (deliveries.size() < r.max()) {
                for (Message m : log.read(r.topic(), g.delivered, r.max() - deliveries.size())) {
                    Pending p = new Pending();
                    p.token = token;
                    p.attempts = 1;
                    p.leaseUntil = now + r.leaseMillis();
                    g.pending.put(m.offset(), p);
                    g.delivered = m.offset();
                    deliveries.add(new Delivery(m, 1, null));
                }
            }
            deliveries.sort((a, b) -> Long.compare(a.offset(), b.offset()));
            g.advanceCommitted();
            return new Leased(token, List.copyOf(deliveries), List.copyOf(exhausted), g.nextDue());
        }
    }

    @Override
    public GroupState ack(String topic, String group, String lease, List<Long> offsets, long nowMillis) {
        synchronized (log) {
            Group g = held(topic, group, lease, offsets, "ack");
            offsets.forEach(g.pending::remove);
            g.advanceCommitted();
            return state(topic, group, g, nowMillis);
        }
    }

    @Override
    public GroupState nack(String topic, String group, String lease, List<Long> offsets, long redeliverAtMillis, String reason,
            long nowMillis) {
        synchronized (log) {
            Group g = held(topic, group, lease, offsets, "nack");
            for (long offset : offsets) {
                Pending p = g.pending.get(offset);
                p.token = null;
                p.leaseUntil = 0;
                p.availableAt = redeliverAtMillis;
                p.lastError = reason;
            }
            return state(topic, group, g, nowMillis);
        }
    }

    @Override
    public GroupState release(String topic, String group, String lease, List<Long> offsets, long nowMillis) {
        synchronized (log) {
            Group g = held(topic, group, lease, offsets, "release");
            for (long offset : offsets) {
                Pending p = g.pending.get(offset);
                p.token = null;
                p.leaseUntil = 0;
                p.availableAt = nowMillis;
                p.attempts--;
            }
            return state(topic, group, g, nowMillis);
        }
    }

    @Override
    public GroupState state(String topic, String group, long nowMillis) {
        synchronized (log) {
            Group g = group(topic, group, false);
            return g == null ? null : state(topic, group, g, nowMillis);
        }
    }

    @Override
    public List<GroupState> groups(String topic, long nowMillis) {
        synchronized (log) {
            List<GroupState> states = new ArrayList<>();
            new TreeMap<>(byTopic.getOrDefault(topic, Map.of())).forEach((name, g) -> states.add(state(topic, name, g, nowMillis)));
            return states;
        }
    }

    @Override
    public GroupState reset(String topic, String group, long committed, long nowMillis) {
        synchronized (log) {
            Group g = group(topic, group, true);
            g.pending.clear();
            g.committed = committed;
            g.delivered = committed;
            return state(topic, group, g, nowMillis);
        }
    }

    @Override
    public long offsetAt(String topic, long timeMillis) {
        synchronized (log) {
            TopicHead head = log.head(topic);
            for (Message m : log.read(topic, head.first() - 1, (int) Math.min(Integer.MAX_VALUE, head.count()))) {
                if (m.timeMillis() >= timeMillis) {
                    return m.offset();
                }
            }
            return head.last() + 1;
        }
    }

    private Group held(String topic, String group, String lease, List<Long> offsets, String what) {
        Group g = group(topic, group, false);
        if (g == null) {
            throw LeaseRefusals.noGroup(what, topic, group);
        }
        List<Long> notHeld = offsets.stream().filter(o -> {
            Pending p = g.pending.get(o);
            return p == null || p.token == null || !p.token.equals(lease);
        }).toList();
        if (!notHeld.isEmpty()) {
            throw LeaseRefusals.notHeld(what, topic, group, notHeld);
        }
        return g;
    }

    private Group group(String topic, String name, boolean create) {
        Map<String, Group> groups = create ? byTopic.computeIfAbsent(topic, t -> new HashMap<>()) : byTopic.get(topic);
        if (groups == null) {
            return null;
        }
        return create ? groups.computeIfAbsent(name, n -> new Group()) : groups.get(name);
    }

    private Message message(String topic, long offset) {
        List<Message> one = log.read(topic, offset - 1, 1);
        return one.isEmpty() || one.getFirst().offset() != offset ? null : one.getFirst();
    }

    private GroupState state(String topic, String name, Group g, long now) {
        long inFlight = g.pending.values().stream().filter(p -> p.token != null && p.leaseUntil > now).count();
        List<Message> oldest = log.read(topic, g.committed, 1);
        long oldestMillis = oldest.isEmpty() ? 0 : oldest.getFirst().timeMillis();
        return new GroupState(topic, name, g.committed, g.delivered, g.pending.size(), inFlight, log.head(topic).last(), oldestMillis);
    }

    private static final class Group {
        final TreeMap<Long, Pending> pending = new TreeMap<>();
        long committed;
        long delivered;

        void advanceCommitted() {
            committed = pending.isEmpty() ? delivered : pending.firstKey() - 1;
        }

        long nextDue() {
            long next = Long.MAX_VALUE;
            for (Pending p : pending.values()) {
                next = Math.min(next, Math.max(p.leaseUntil, p.availableAt));
            }
            return next;
        }
    }

    private static final class Pending {
        String token;
        long leaseUntil;
        long availableAt;
        int attempts;
        String lastError;

        boolean dueAt(long now) {
            return leaseUntil <= now && availableAt <= now;
        }
    }
}
