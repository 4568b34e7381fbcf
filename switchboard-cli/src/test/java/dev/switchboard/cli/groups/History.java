package dev.switchboard.cli.groups;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the clients of one consumer group saw, logged as it happens and checked at the end: every
 * publish attempt and every publish the server acknowledged (offset, payload), every delivery
 * (consumer, offset, attempt, payload) and the outcome of its ack, and every fault the test injected.
 *
 * <p>{@link #check()} asserts, after the group has drained:
 * <ul>
 *   <li><b>lost = 0</b>: every acknowledged publish was delivered, and some delivery of it was acked:
 *       either the ack was confirmed (200 / {@code acked}) or its answer was cut off by a fault (the
 *       server may have committed it; the test's final "group lag is 0" is the server's word that it did).
 *       A delivery whose ack was refused does not count: the message must come back and be acked.
 *   <li><b>unexpected = 0</b>: every delivery carries a payload that was published, at the offset the
 *       server acknowledged for it; a payload whose publish was cut off by a fault (maybe stored) may be
 *       delivered, but always at one offset.
 *   <li><b>acked-then-redelivered = 0</b>: no offset is delivered again after an ack of it was confirmed.
 *   <li><b>duplicates &le; bound</b>, where duplicates = deliveries beyond the first per offset, and
 *       bound = the sum, over the faults, of the deliveries the fault could leave unacknowledged
 *       ({@link #fault}): for a consumer abandoned while holding messages, the deliveries it held
 *       unacked when it was cut off (never more than its window: {@code max} of an HTTP fetch,
 *       {@code max_in_flight} of a WebSocket consumer); for a SIGKILL of the server, the sum of the
 *       windows of every consumer connected at that moment. A delivery whose ack is confirmed is never
 *       redelivered, so every duplicate stands for a delivery some fault left unacknowledged; without a
 *       fault the bound is 0.
 * </ul>
 */
final class History {
    /** How an ack of one delivery ended. */
    enum AckOutcome {
        /** 200 from {@code /ack}, or an {@code acked} frame. */
        CONFIRMED,
        /** 409 {@code lease-not-held} or an error frame: the message will come back. */
        REFUSED,
        /** The connection died before the answer: the server may or may not have committed it. */
        CUT_OFF
    }

    record Delivery(long seq, String consumer, long offset, int attempt, String payload) {}

    private record Ack(long seq, Delivery delivery, AckOutcome outcome) {}

    private record Fault(String what, int bound) {}

    /** The figures of one run, printed by the tests. */
    record Report(int published, int deliveries, int duplicates, int bound, List<String> lost, List<String> unexpected,
            List<String> ackedThenRedelivered, int refusedAcks, int cutOffAcks, List<String> faults) {
        @Override
        public String toString() {
            return "published=" + published + " deliveries=" + deliveries + " duplicates=" + duplicates + " bound=" + bound
                    + " lost=" + lost.size() + " unexpected=" + unexpected.size() + " acked-then-redelivered="
                    + ackedThenRedelivered.size() + " refused-acks=" + refusedAcks + " cut-off-acks=" + cutOffAcks + " faults=" + faults;
        }
    }

    private final AtomicLong clock = new AtomicLong();
    private final Set<String> attempted = ConcurrentHashMap.newKeySet();
    private final Map<Long, String> published = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Delivery> deliveries = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Ack> acks = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Fault> faults = new ConcurrentLinkedQueue<>();

    /** Before sending a publish: if its answer is cut off, the message may still be stored. */
    void publishing(String payload) {
        attempted.add(payload);
    }

    /** The server answered 2xx with this offset. */
    void published(long offset, String payload) {
        published.put(offset, payload);
    }

    int publishedCount() {
        return published.size();
    }

    Delivery delivered(String consumer, long offset, int attempt, String payload) {
        Delivery d = new Delivery(clock.incrementAndGet(), consumer, offset, attempt, payload);
        deliveries.add(d);
        return d;
    }

    int deliveryCount() {
        return deliveries.size();
    }

    void acked(Delivery d, AckOutcome outcome) {
        acks.add(new Ack(clock.incrementAndGet(), d, outcome));
    }

    /** A fault the test injected, and how many redeliveries it may cause (see the class comment). */
    void fault(String what, int bound) {
        faults.add(new Fault(what, bound));
    }

    /** True once every acknowledged publish has a delivery acked or cut off (polled while draining). */
    boolean settled() {
        return lost().isEmpty();
    }

    Report report() {
        List<Delivery> all = new ArrayList<>(deliveries);
        Map<Long, Integer> perOffset = new HashMap<>();
        all.forEach(d -> perOffset.merge(d.offset(), 1, Integer::sum));
        int duplicates = all.size() - perOffset.size();

        List<String> unexpected = new ArrayList<>();
        Map<String, Long> offsetOfPayload = new HashMap<>();
        published.forEach((offset, payload) -> offsetOfPayload.put(payload, offset));
        for (Delivery d : all) {
            String expected = published.get(d.offset());
            Long seenAt = offsetOfPayload.putIfAbsent(d.payload(), d.offset());
            if (expected != null ? !expected.equals(d.payload())
                    : !attempted.contains(d.payload()) || (seenAt != null && seenAt != d.offset())) {
                unexpected.add(d + " (acknowledged payload at that offset: " + expected + ", payload seen at offset " + seenAt + ")");
            }
        }

        Map<Long, Long> firstConfirmedAck = new HashMap<>();
        int refused = 0;
        int cutOff = 0;
        for (Ack a : acks) {
            switch (a.outcome()) {
                case CONFIRMED -> firstConfirmedAck.merge(a.delivery().offset(), a.seq(), Math::min);
                case REFUSED -> refused++;
                case CUT_OFF -> cutOff++;
            }
        }
        List<String> ackedThenRedelivered = all.stream()
                .filter(d -> firstConfirmedAck.getOrDefault(d.offset(), Long.MAX_VALUE) < d.seq()).map(Delivery::toString).toList();
        int bound = faults.stream().mapToInt(Fault::bound).sum();
        return new Report(published.size(), all.size(), duplicates, bound, lost(), unexpected, ackedThenRedelivered, refused, cutOff,
                faults.stream().map(f -> f.what() + " (bound " + f.bound() + ")").toList());
    }

    /** Asserts lost = 0, unexpected = 0, acked-then-redelivered = 0 and duplicates &le; bound; returns the figures. */
    Report check() {
        Report r = report();
        System.out.println("history: " + r);
        assertThat(r.lost()).as("acknowledged publishes never acked by the group; %s", r).isEmpty();
        assertThat(r.unexpected()).as("deliveries that do not match a publish; %s", r).isEmpty();
        assertThat(r.ackedThenRedelivered()).as("deliveries after a confirmed ack of the same offset; %s", r).isEmpty();
        assertThat(r.duplicates()).as("duplicates against the bound of the faults; %s", r).isLessThanOrEqualTo(r.bound());
        return r;
    }

    private List<String> lost() {
        Set<Long> acked = new HashSet<>();
        for (Ack a : acks) {
            if (a.outcome() != AckOutcome.REFUSED) {
                acked.add(a.delivery().offset());
            }
        }
        List<String> lost = new ArrayList<>();
        published.forEach((offset, payload) -> {
            if (!acked.contains(offset)) {
                lost.add(offset + "=" + payload);
            }
        });
        lost.sort(null);
        return lost;
    }
}
