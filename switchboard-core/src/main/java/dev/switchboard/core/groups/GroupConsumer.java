package dev.switchboard.core.groups;

import dev.switchboard.core.error.ErrorCode;
import dev.switchboard.core.error.SwitchboardException;
import dev.switchboard.core.hub.Wakeup;
import dev.switchboard.core.store.GroupState;
import dev.switchboard.core.store.Leased;
import dev.switchboard.core.store.Leased.Delivery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Pushes a group's messages to one session with a prefetch window: at most {@code maxInFlight}
 * messages are leased to it and unacknowledged at once, so a slow client is never sent more than it
 * asked for while the other consumers of the group take the rest.
 *
 * <p>One virtual thread runs the loop (lease what fits the window → deliver → wait for acks, new
 * messages or a lease coming due); acks come from the transport's thread and wake it.
 */
public final class GroupConsumer {
    private final Groups groups;
    private final String topic;
    private final String group;
    private final int maxInFlight;
    private final Duration lease;
    private final GroupSession session;
    private final Wakeup wakeup = new Wakeup();
    /** Offsets delivered to this session and not yet acknowledged: their lease token and deadline. */
    private final Map<Long, Held> held = new ConcurrentHashMap<>();
    /** Room in the window worth a store call: refilling after every single ack would cost a lease per message. */
    private final int refillAt;
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    private volatile boolean stopped;
    private volatile boolean asked;

    private record Held(String lease, long deadlineMillis) {}

    GroupConsumer(Groups groups, String topic, String group, int maxInFlight, Duration lease, GroupSession session) {
        this.groups = groups;
        this.topic = topic;
        this.group = group;
        this.maxInFlight = maxInFlight;
        this.lease = lease;
        this.session = session;
        this.refillAt = Math.max(1, Math.min(maxInFlight / 2, 100));
    }

    public String topic() {
        return topic;
    }

    public String group() {
        return group;
    }

    public int maxInFlight() {
        return maxInFlight;
    }

    /** Messages delivered to this consumer and not acknowledged (leases not yet run out). */
    public int inFlight() {
        return held.size();
    }

    /** Acknowledges offsets this consumer holds; offsets it does not hold refuse the whole call (nothing changes). */
    public CompletableFuture<GroupState> ack(List<Long> offsets) {
        return settle(offsets, true, (token, some) -> groups.ack(topic, group, token, some));
    }

    public CompletableFuture<GroupState> nack(List<Long> offsets, Duration delay, String reason) {
        return settle(offsets, false, (token, some) -> groups.nack(topic, group, token, some, delay, reason));
    }

    /**
     * Completes once the group exists in the store (the consumer's first lease created it if needed),
     * or exceptionally if that first lease failed.
     */
    public CompletableFuture<Void> started() {
        return started;
    }

    /**
     * Stops delivering and gives the held messages back to the group at once, not counted as attempts:
     * the client asked to stop, so they were not being worked on.
     */
    public void stop() {
        asked = true;
        stopped = true;
        wakeup.wake();
    }

    /**
     * Stops because the connection is gone: the held messages go back at once and count as attempts,
     * since the client may have been working on them (a message that kills its consumers must still
     * reach the dead-letter topic).
     */
    public void connectionLost() {
        stopped = true;
        wakeup.wake();
    }

    void run() {
        groups.register(topic, wakeup);
        try {
            while (!stopped && session.isOpen()) {
                long now = System.currentTimeMillis();
                long wakeAt = Math.min(now + Groups.RECHECK_MILLIS, dropExpired(now));
                int room = maxInFlight - held.size();
                if (room >= refillAt) {
                    Leased leased = groups.leaseOnce(topic, group, room, lease);
                    started.complete(null);
                    long deadline = System.currentTimeMillis() + lease.toMillis();
                    for (Delivery d : leased.deliveries()) {
                        held.put(d.offset(), new Held(leased.lease(), deadline));
                    }
                    if (!leased.deliveries().isEmpty()) {
                        session.deliver(this, leased.deliveries());
                        continue; // look again at once: more may be waiting, or the window is full
                    }
                    wakeAt = Math.min(wakeAt, leased.nextDueMillis());
                }
                wakeup.await(wakeAt);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            SwitchboardException failure = SwitchboardException.fromStore("consuming group '" + group + "' of '" + topic + "'", e);
            started.completeExceptionally(failure);
            boolean ending = stopped;
            stopped = true;
            if (!ending) {
                session.failed(this, failure);
            }
        } finally {
            started.complete(null);
            groups.unregister(topic, wakeup);
            giveBackHeld();
        }
    }

    private interface Settle {
        CompletableFuture<GroupState> apply(String lease, List<Long> offsets);
    }

    /**
     * @param freeFirst acks leave the window before the store call — a stop arriving meanwhile must not give
     *        back an offset being acked; nacks only once it answered — until then the window stays full, so
     *        the nacked message (due again first) comes back before any message not yet delivered
     */
    private CompletableFuture<GroupState> settle(List<Long> offsets, boolean freeFirst, Settle step) {
        Map<String, Map<Long, Held>> byLease = new LinkedHashMap<>();
        List<Long> notHeld = new ArrayList<>();
        for (long offset : offsets) {
            Held h = held.get(offset);
            if (h == null) {
                notHeld.add(offset);
            } else {
                byLease.computeIfAbsent(h.lease(), t -> new LinkedHashMap<>()).put(offset, h);
            }
        }
        if (offsets.isEmpty() || !notHeld.isEmpty()) {
            return CompletableFuture.failedFuture(new SwitchboardException(ErrorCode.LEASE_NOT_HELD, "refused, nothing changed: "
                    + (offsets.isEmpty() ? "no offsets named" : "offsets " + notHeld + " of '" + topic + "' are not held by this consumer of group '"
                    + group + "' (acknowledged already, never delivered to it, or its lease ran out)")));
        }
        CompletableFuture<GroupState> last = null;
        for (Map.Entry<String, Map<Long, Held>> e : byLease.entrySet()) {
            Map<Long, Held> settled = e.getValue();
            if (freeFirst) {
                settled.forEach(held::remove);
                wakeup.wake();
            }
            CompletableFuture<GroupState> one = step.apply(e.getKey(), List.copyOf(settled.keySet()));
            if (!freeFirst) {
                one.whenComplete((state, error) -> {
                    // Only the entries settled here: the nacked offset may already be held again under a new lease.
                    settled.forEach(held::remove);
                    wakeup.wake();
                });
            }
            last = last == null ? one : last.thenCombine(one, (a, b) -> b);
        }
        return last;
    }

    /** Forgets held offsets whose lease ran out (the group may give them to anyone); returns the next deadline. */
    private long dropExpired(long now) {
        long next = Long.MAX_VALUE;
        for (Iterator<Held> it = held.values().iterator(); it.hasNext(); ) {
            Held h = it.next();
            if (h.deadlineMillis() <= now) {
                it.remove();
            } else {
                next = Math.min(next, h.deadlineMillis());
            }
        }
        return next;
    }

    /** A stop asked for is not an attempt; a connection that dropped mid-work is (see {@link Groups#giveBack}). */
    private void giveBackHeld() {
        Map<String, List<Long>> byLease = new LinkedHashMap<>();
        held.forEach((offset, h) -> byLease.computeIfAbsent(h.lease(), t -> new ArrayList<>()).add(offset));
        held.clear();
        byLease.forEach((token, offsets) -> groups.giveBack(topic, group, token, offsets, !asked,
                "the consumer's connection closed before it acknowledged"));
    }
}
