package dev.switchboard.store.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.error.ErrorCode;
import dev.switchboard.core.error.SwitchboardException;
import dev.switchboard.core.store.GroupState;
import dev.switchboard.core.store.GroupStore;
import dev.switchboard.core.store.LeaseRequest;
import dev.switchboard.core.store.Leased;
import dev.switchboard.core.store.Leased.Delivery;
import dev.switchboard.core.store.Retention;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * What every store's {@link GroupStore} must do: leases that never overlap, acknowledgements that
 * move the committed cursor, redelivery after expiry or nack, exhaustion after the last attempt,
 * refusals that change nothing, and (for a durable store) all of it across a restart.
 */
public abstract class GroupStoreContract extends StoreFixture {
    private static final long LEASE = 30_000;
    private static final int ATTEMPTS = 3;

    private GroupStore groups() {
        return store.groups();
    }

    private Leased lease(String group, int max) {
        return groups().lease(new LeaseRequest("orders", group, max, LEASE, ATTEMPTS, clock.millis()));
    }

    private GroupState ack(String group, Leased lease, Long... offsets) {
        return groups().ack("orders", group, lease.lease(), List.of(offsets), clock.millis());
    }

    private static List<Long> offsetsOf(List<Delivery> deliveries) {
        return deliveries.stream().map(Delivery::offset).toList();
    }

    // ---- leasing ----

    @Test
    void firstFetchCreatesTheGroupAtTheOldestMessageAndLeasesInOrder() {
        append("orders", 5);

        Leased first = lease("billing", 3);

        assertThat(offsetsOf(first.deliveries())).containsExactly(1L, 2L, 3L);
        assertThat(first.deliveries()).allSatisfy(d -> {
            assertThat(d.attempt()).isEqualTo(1);
            assertThat(d.lastError()).isNull();
        });
        assertThat(text(first.deliveries().getFirst().message().payload())).isEqualTo("5:0");
        assertThat(first.exhausted()).isEmpty();
        assertThat(first.lease()).isNotBlank();
        assertThat(first.nextDueMillis()).isEqualTo(clock.millis() + LEASE);
        GroupState state = groups().state("orders", "billing", clock.millis());
        assertThat(state.committed()).isZero();
        assertThat(state.delivered()).isEqualTo(3);
        assertThat(state.pending()).isEqualTo(3);
        assertThat(state.inFlight()).isEqualTo(3);
        assertThat(state.lag()).isEqualTo(5);
    }

    @Test
    void competingConsumersInOneGroupNeverShareAMessage() {
        append("orders", 5);

        Leased a = lease("billing", 2);
        Leased b = lease("billing", 10);
        Leased c = lease("billing", 10);

        assertThat(offsetsOf(a.deliveries())).containsExactly(1L, 2L);
        assertThat(offsetsOf(b.deliveries())).containsExactly(3L, 4L, 5L);
        assertThat(c.deliveries()).isEmpty();
        assertThat(a.lease()).isNotEqualTo(b.lease());
    }

    @Test
    void everyGroupReceivesEveryMessage() {
        append("orders", 3);

        assertThat(offsetsOf(lease("billing", 10).deliveries())).containsExactly(1L, 2L, 3L);
        assertThat(offsetsOf(lease("shipping", 10).deliveries())).containsExactly(1L, 2L, 3L);
        assertThat(groups().groups("orders", clock.millis())).extracting(GroupState::group).containsExactly("billing", "shipping");
    }

    @Test
    void anEmptyTopicLeasesNothingButTheGroupExists() {
        Leased none = lease("billing", 10);

        assertThat(none.isEmpty()).isTrue();
        assertThat(none.nextDueMillis()).isEqualTo(Long.MAX_VALUE);
        assertThat(groups().state("orders", "billing", clock.millis())).isNotNull();
        assertThat(groups().state("orders", "nobody", clock.millis())).isNull();
        assertThat(groups().groups("elsewhere", clock.millis())).isEmpty();
    }

    // ---- acknowledging ----

    @Test
    void ackMovesTheCommittedCursorOnlyPastAContiguousRun() {
        append("orders", 4);
        Leased lease = lease("billing", 4);

        GroupState afterGap = ack("billing", lease, 2L, 3L);
        assertThat(afterGap.committed()).as("offset 1 is still pending").isZero();
        assertThat(afterGap.pending()).isEqualTo(2);

        GroupState afterFirst = ack("billing", lease, 1L);
        assertThat(afterFirst.committed()).isEqualTo(3);
        assertThat(afterFirst.lag()).isEqualTo(1);

        assertThat(ack("billing", lease, 4L).committed()).isEqualTo(4);
        assertThat(lease("billing", 10).isEmpty()).as("acknowledged messages never come back").isTrue();
    }

    @Test
    void ackUnderAnotherConsumersLeaseIsRefusedAndChangesNothing() {
        append("orders", 4);
        Leased mine = lease("billing", 2);
        Leased theirs = lease("billing", 2);

        assertRefused(ErrorCode.LEASE_NOT_HELD, () -> ack("billing", mine, 1L, 3L));

        GroupState state = groups().state("orders", "billing", clock.millis());
        assertThat(state.pending()).as("offset 1 was in the refused ack with a foreign offset: still pending").isEqualTo(4);
        assertThat(ack("billing", theirs, 3L, 4L).pending()).isEqualTo(2);
    }

    @Test
    void ackOfAnOffsetNeverDeliveredOrAlreadyAckedIsRefused() {
        append("orders", 3);
        Leased lease = lease("billing", 1);
        ack("billing", lease, 1L);

        assertRefused(ErrorCode.LEASE_NOT_HELD, () -> ack("billing", lease, 1L));
        assertRefused(ErrorCode.LEASE_NOT_HELD, () -> ack("billing", lease, 2L));
        assertRefused(ErrorCode.LEASE_NOT_HELD, () -> groups().ack("orders", "billing", "made-up", List.of(1L), clock.millis()));
        assertThat(groups().state("orders", "billing", clock.millis()).committed()).isEqualTo(1);
    }

    @Test
    void ackInAGroupThatDoesNotExistIsNotFound() {
        append("orders", 1);

        assertRefused(ErrorCode.NOT_FOUND, () -> groups().ack("orders", "ghost", "x", List.of(1L), clock.millis()));
        assertThat(groups().state("orders", "ghost", clock.millis())).as("a refused ack creates nothing").isNull();
    }

    // ---- redelivery ----

    @Test
    void anExpiredLeaseIsRedeliveredUnderANewTokenAndTheOldTokenIsRefused() {
        append("orders", 2);
        Leased first = lease("billing", 1);
        clock.advance(Duration.ofMillis(LEASE - 1));
        assertThat(offsetsOf(lease("billing", 1).deliveries())).as("not expired yet: the next one").containsExactly(2L);

        clock.advance(Duration.ofMillis(1));
        Leased again = lease("billing", 5);

        assertThat(again.deliveries()).singleElement().satisfies(d -> {
            assertThat(d.offset()).isEqualTo(1);
            assertThat(d.attempt()).isEqualTo(2);
        });
        assertRefused(ErrorCode.LEASE_NOT_HELD, () -> ack("billing", first, 1L));
        assertThat(ack("billing", again, 1L).committed()).as("offset 2 is still pending").isEqualTo(1);
    }

    @Test
    void anAckUnderAnExpiredLeaseNotYetTakenByAnotherConsumerStillCounts() {
        append("orders", 1);
        Leased lease = lease("billing", 1);
        clock.advance(Duration.ofMillis(LEASE + 5));

        assertThat(ack("billing", lease, 1L).committed()).isEqualTo(1);
        assertThat(lease("billing", 5).isEmpty()).isTrue();
    }

    @Test
    void redeliveryComesLowestOffsetFirstBeforeNewMessages() {
        append("orders", 3);
        Leased first = lease("billing", 2);
        groups().nack("orders", "billing", first.lease(), List.of(2L, 1L), clock.millis(), "busy", clock.millis());

        assertThat(offsetsOf(lease("billing", 2).deliveries())).containsExactly(1L, 2L);
        assertThat(offsetsOf(lease("billing", 2).deliveries())).containsExactly(3L);
    }

    @Test
    void nackWithDelayRedeliversOnlyWhenTheDelayIsOverAndCarriesTheReason() {
        append("orders", 1);
        Leased first = lease("billing", 1);
        long at = clock.millis() + 5_000;

        GroupState state = groups().nack("orders", "billing", first.lease(), List.of(1L), at, "db down", clock.millis());

        assertThat(state.inFlight()).isZero();
        assertThat(state.pending()).isEqualTo(1);
        Leased early = lease("billing", 1);
        assertThat(early.isEmpty()).isTrue();
        assertThat(early.nextDueMillis()).isEqualTo(at);
        clock.advance(Duration.ofMillis(5_000));
        assertThat(lease("billing", 1).deliveries()).singleElement().satisfies(d -> {
            assertThat(d.attempt()).isEqualTo(2);
            assertThat(d.lastError()).isEqualTo("db down");
        });
    }

    @Test
    void aMessageDueAfterItsLastAttemptIsExhaustedNotDelivered() {
        append("orders", 2);
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            Leased l = lease("billing", 1);
            assertThat(l.deliveries()).singleElement().satisfies(d -> assertThat(d.offset()).isEqualTo(1));
            groups().nack("orders", "billing", l.lease(), List.of(1L), clock.millis(), "attempt " + attempt, clock.millis());
        }

        Leased last = lease("billing", 5);

        assertThat(last.exhausted()).singleElement().satisfies(d -> {
            assertThat(d.offset()).isEqualTo(1);
            assertThat(d.attempt()).isEqualTo(ATTEMPTS);
            assertThat(d.lastError()).isEqualTo("attempt " + ATTEMPTS);
        });
        assertThat(offsetsOf(last.deliveries())).containsExactly(2L);
        assertThat(ack("billing", last, 1L, 2L).committed()).as("the caller dead-letters, then acks").isEqualTo(2);
    }

    @Test
    void releaseHandsMessagesBackWithoutCountingTheDelivery() {
        append("orders", 2);
        Leased first = lease("billing", 2);

        GroupState released = groups().release("orders", "billing", first.lease(), List.of(1L, 2L), clock.millis());

        assertThat(released.inFlight()).isZero();
        assertRefused(ErrorCode.LEASE_NOT_HELD, () -> ack("billing", first, 1L));
        assertThat(lease("billing", 5).deliveries()).extracting(Delivery::offset, Delivery::attempt)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, 1), org.assertj.core.groups.Tuple.tuple(2L, 1));
        assertRefused(ErrorCode.LEASE_NOT_HELD, () -> groups().release("orders", "billing", "made-up", List.of(1L), clock.millis()));
    }

    @Test
    void nackIsRefusedLikeAckAndChangesNothing() {
        append("orders", 2);
        Leased mine = lease("billing", 1);
        Leased theirs = lease("billing", 1);

        assertRefused(ErrorCode.LEASE_NOT_HELD, () -> groups().nack("orders", "billing", mine.lease(), List.of(1L, 2L),
                clock.millis(), "x", clock.millis()));

        assertThat(groups().state("orders", "billing", clock.millis()).inFlight()).isEqualTo(2);
        assertThat(ack("billing", theirs, 2L).pending()).isEqualTo(1);
    }

    // ---- state, reset, retention ----

    @Test
    void stateReportsLagInFlightAndTheOldestUnacknowledgedMessage() {
        long firstTime = clock.millis();
        append("orders", 2);
        clock.advance(Duration.ofSeconds(10));
        append("orders", 2);
        Leased lease = lease("billing", 3);
        clock.advance(Duration.ofMillis(LEASE + 1));

        GroupState expired = groups().state("orders", "billing", clock.millis());
        assertThat(expired.inFlight()).as("leases expired").isZero();
        assertThat(expired.pending()).isEqualTo(3);
        assertThat(expired.oldestUnackedMillis()).isEqualTo(firstTime);

        ack("billing", lease, 1L, 2L);
        GroupState state = groups().state("orders", "billing", clock.millis());
        assertThat(state.committed()).isEqualTo(2);
        assertThat(state.last()).isEqualTo(4);
        assertThat(state.lag()).isEqualTo(2);
        assertThat(state.oldestUnackedMillis()).isEqualTo(firstTime + 10_000);
    }

    @Test
    void resetMovesTheCursorAndDropsLeases() {
        append("orders", 5);
        Leased lease = lease("billing", 5);

        GroupState reset = groups().reset("orders", "billing", 3, clock.millis());

        assertThat(reset.committed()).isEqualTo(3);
        assertThat(reset.pending()).isZero();
        assertRefused(ErrorCode.LEASE_NOT_HELD, () -> ack("billing", lease, 4L));
        assertThat(offsetsOf(lease("billing", 10).deliveries())).containsExactly(4L, 5L);
        groups().reset("orders", "billing", 0, clock.millis());
        assertThat(offsetsOf(lease("billing", 10).deliveries())).as("rewound").containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void resetCreatesAGroupAndOffsetAtFindsTheFirstMessageAtATime() {
        append("orders", 2);
        clock.advance(Duration.ofSeconds(5));
        long later = clock.millis();
        append("orders", 2);

        assertThat(groups().offsetAt("orders", later)).isEqualTo(3);
        assertThat(groups().offsetAt("orders", later + 1)).isEqualTo(5);
        assertThat(groups().offsetAt("orders", 0)).isEqualTo(1);
        assertThat(groups().offsetAt("nothing-here", 0)).isEqualTo(1);
        GroupState created = groups().reset("orders", "late", groups().offsetAt("orders", later) - 1, clock.millis());
        assertThat(created.committed()).isEqualTo(2);
        assertThat(offsetsOf(lease("late", 10).deliveries())).containsExactly(3L, 4L);
    }

    @Test
    void messagesRemovedByRetentionAreSkippedNotDelivered() {
        append("orders", 3);
        Leased lease = lease("billing", 1);
        append("orders", 3);
        store.trim("orders", new Retention(2, Duration.ZERO), clock.millis());
        clock.advance(Duration.ofMillis(LEASE + 1));

        Leased after = lease("billing", 10);

        assertThat(offsetsOf(after.deliveries())).containsExactly(5L, 6L);
        assertRefused(ErrorCode.LEASE_NOT_HELD, () -> ack("billing", lease, 1L));
        assertThat(ack("billing", after, 5L, 6L).committed()).isEqualTo(6);
    }

    // ---- concurrency and restart ----

    @Test
    void concurrentConsumersLeaseEachMessageExactlyOnce() throws Exception {
        int total = 2_000;
        for (int i = 0; i < total / 100; i++) {
            append("orders", 100);
        }
        Map<Long, Integer> seen = new ConcurrentHashMap<>();
        AtomicInteger acked = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                done.add(pool.submit(() -> {
                    start.await();
                    while (acked.get() < total) {
                        Leased l = lease("billing", 1 + (int) (Math.random() * 40));
                        if (l.deliveries().isEmpty()) {
                            continue;
                        }
                        List<Long> offsets = new ArrayList<>(offsetsOf(l.deliveries()));
                        offsets.forEach(o -> seen.merge(o, 1, Integer::sum));
                        Collections.shuffle(offsets);
                        groups().ack("orders", "billing", l.lease(), offsets, clock.millis());
                        acked.addAndGet(offsets.size());
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(PATIENCE.toSeconds() * 4, TimeUnit.SECONDS);
            }
        }
        assertThat(seen.keySet()).containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
        assertThat(seen.values()).as("no offset leased twice").containsOnly(1);
        GroupState state = groups().state("orders", "billing", clock.millis());
        assertThat(state.committed()).isEqualTo(total);
        assertThat(state.pending()).isZero();
    }

    @Test
    void groupsSurviveARestartWithTheirLeases() {
        append("orders", 4);
        Leased lease = lease("billing", 3);
        ack("billing", lease, 1L);
        groups().nack("orders", "billing", lease.lease(), List.of(3L), clock.millis(), "later", clock.millis());

        restart();

        if (!durable()) {
            assertThat(groups().state("orders", "billing", clock.millis())).isNull();
            return;
        }
        GroupState state = groups().state("orders", "billing", clock.millis());
        assertThat(state.committed()).isEqualTo(1);
        assertThat(state.delivered()).isEqualTo(3);
        assertThat(state.pending()).isEqualTo(2);
        assertThat(ack("billing", lease, 2L).committed()).as("the lease is still held after a restart").isEqualTo(2);
        Leased next = lease("billing", 10);
        assertThat(next.deliveries()).extracting(Delivery::offset, Delivery::attempt, Delivery::lastError)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(3L, 2, "later"), org.assertj.core.groups.Tuple.tuple(4L, 1, null));
    }

    private static void assertRefused(ErrorCode code, ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(SwitchboardException.class, e -> assertThat(e.code()).isEqualTo(code));
    }
}
