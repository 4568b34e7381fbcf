package dev.switchboard.core.groups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.switchboard.core.config.ConfigLoader;
import dev.switchboard.core.error.ErrorCode;
import dev.switchboard.core.error.SwitchboardException;
import dev.switchboard.core.hub.Hub;
import dev.switchboard.core.message.Message;
import dev.switchboard.core.message.MessageDraft;
import dev.switchboard.core.store.AppendRequest;
import dev.switchboard.core.store.Durability;
import dev.switchboard.core.store.GroupState;
import dev.switchboard.core.store.Leased.Delivery;
import dev.switchboard.core.store.memory.MemoryLogStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Consumer groups through the hub on the memory store: waiting fetches, dead letters, consumer windows. */
final class GroupsTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private final MemoryLogStore store = new MemoryLogStore();
    private Hub hub = hub(Map.of());

    @AfterEach
    void stop() {
        hub.close();
    }

    private Hub hub(Map<String, String> settings) {
        Map<String, String> flags = new HashMap<>(Map.of("retention-interval", "1h", "group-max-attempts", "2", "max-read", "500"));
        flags.putAll(settings);
        return new Hub(store, ConfigLoader.load(flags, Map.of()));
    }

    private Groups groups() {
        return hub.groups();
    }

    @Test
    void aWaitingFetchIsAnsweredByThePublishThatComesDuringTheWait() {
        CompletableFuture<Fetched> fetch = groups().fetch("orders", "billing", 10, null, Duration.ofSeconds(20));
        await().during(Duration.ofMillis(200)).atMost(PATIENCE).until(() -> !fetch.isDone());

        publish("orders", 2);

        Fetched fetched = fetch.orTimeout(PATIENCE.toSeconds(), TimeUnit.SECONDS).join();
        assertThat(offsets(fetched.deliveries())).containsExactly(1L, 2L);
        assertThat(fetched.leaseMillis()).as("the server's default lease").isEqualTo(30_000);
    }

    @Test
    void aFetchWhoseWaitEndsAnswersEmpty() {
        Fetched fetched = groups().fetch("orders", "billing", 10, null, Duration.ofMillis(150)).join();

        assertThat(fetched.deliveries()).isEmpty();
    }

    @Test
    void aWaitingFetchTakesAMessageWhoseLeaseRanOut() {
        publish("orders", 1);
        Fetched first = groups().fetch("orders", "billing", 1, Duration.ofMillis(300), Duration.ZERO).join();

        Fetched again = groups().fetch("orders", "billing", 1, null, Duration.ofSeconds(20)).join();

        assertThat(again.deliveries()).singleElement().satisfies(d -> assertThat(d.attempt()).isEqualTo(2));
        assertThat(again.lease()).isNotEqualTo(first.lease());
    }

    @Test
    void aMessageThatUsedUpItsAttemptsGoesToTheDeadLetterTopicWithWhy() {
        publish("orders", 1);
        for (int i = 1; i <= 2; i++) {
            Fetched f = groups().fetch("orders", "billing", 1, null, Duration.ZERO).join();
            groups().nack("orders", "billing", f.lease(), List.of(1L), Duration.ZERO, "boom " + i).join();
        }

        Fetched after = groups().fetch("orders", "billing", 1, null, Duration.ZERO).join();

        assertThat(after.deliveries()).isEmpty();
        List<Message> dead = store.read("orders.dlq", 0, 10);
        assertThat(dead).singleElement().satisfies(m -> {
            assertThat(new String(m.payload(), StandardCharsets.UTF_8)).isEqualTo("m0");
            assertThat(m.headers()).containsEntry("sb-dlq-topic", "orders").containsEntry("sb-dlq-group", "billing")
                    .containsEntry("sb-dlq-offset", "1").containsEntry("sb-dlq-attempts", "2").containsEntry("sb-dlq-reason", "boom 2");
        });
        GroupState state = groups().state("orders", "billing").join();
        assertThat(state.committed()).as("dead-lettered counts as done for the group").isEqualTo(1);
    }

    @Test
    void aConsumerNeverHoldsMoreThanItsWindowAndAcksOpenIt() {
        publish("orders", 10);
        RecordingGroupSession session = new RecordingGroupSession();

        GroupConsumer consumer = groups().consume("orders", "billing", 4, null, session);

        await().atMost(PATIENCE).until(() -> session.offsets().size() == 4);
        await().during(Duration.ofMillis(200)).atMost(PATIENCE).until(() -> session.offsets().size() == 4);
        consumer.ack(List.of(1L, 2L)).join();
        await().atMost(PATIENCE).until(() -> session.offsets().size() == 6);
        assertThat(session.offsets()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(consumer.inFlight()).isEqualTo(4);
    }

    @Test
    void aStoppedConsumerGivesItsMessagesBackAtOnce() {
        publish("orders", 3);
        RecordingGroupSession session = new RecordingGroupSession();
        GroupConsumer consumer = groups().consume("orders", "billing", 10, Duration.ofMinutes(5), session);
        await().atMost(PATIENCE).until(() -> session.offsets().size() == 3);

        consumer.stop();

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(groups().state("orders", "billing").join().inFlight()).isZero());
        Fetched next = groups().fetch("orders", "billing", 10, null, Duration.ZERO).join();
        assertThat(offsets(next.deliveries())).containsExactly(1L, 2L, 3L);
    }

    @Test
    void aConsumerCannotAckWhatItDoesNotHold() {
        publish("orders", 2);
        RecordingGroupSession session = new RecordingGroupSession();
        GroupConsumer consumer = groups().consume("orders", "billing", 1, null, session);
        await().atMost(PATIENCE).until(() -> session.offsets().size() == 1);

        assertRefused(() -> consumer.ack(List.of(1L, 2L)).join(), ErrorCode.LEASE_NOT_HELD);
        assertThat(consumer.inFlight()).isEqualTo(1);
    }

    @Test
    void badInputIsRefusedWithTheNumbersAndCreatesNothing() {
        assertRefused(() -> groups().fetch("orders", "bad/name", 1, null, Duration.ZERO).join(), ErrorCode.BAD_GROUP);
        assertRefused(() -> groups().fetch("orders", "billing", 1_000_000, null, Duration.ZERO).join(), ErrorCode.BAD_REQUEST);
        assertRefused(() -> groups().fetch("orders", "billing", 0, null, Duration.ZERO).join(), ErrorCode.BAD_REQUEST);
        assertRefused(() -> groups().fetch("orders", "billing", 1, Duration.ofDays(1), Duration.ZERO).join(), ErrorCode.BAD_REQUEST);
        assertRefused(() -> groups().fetch("orders", "billing", 1, null, Duration.ofDays(1)).join(), ErrorCode.WAIT_TOO_LONG);
        assertRefused(() -> groups().fetch("x".repeat(198), "billing", 1, null, Duration.ZERO).join(), ErrorCode.BAD_TOPIC);
        assertRefused(() -> groups().ack("orders", "billing", "", List.of(1L)).join(), ErrorCode.BAD_REQUEST);
        assertRefused(() -> groups().ack("orders", "billing", "t", List.of()).join(), ErrorCode.BAD_REQUEST);
        assertRefused(() -> groups().state("orders", "billing").join(), ErrorCode.NOT_FOUND);
        assertThat(groups().list("orders").join()).isEmpty();
    }

    @Test
    void resetByTimeAndToTheEnds() {
        publish("orders", 3);

        assertThat(groups().reset("orders", "g", new ResetTarget.Latest()).join().committed()).isEqualTo(3);
        assertThat(groups().reset("orders", "g", new ResetTarget.Earliest()).join().committed()).isZero();
        assertThat(groups().reset("orders", "g", new ResetTarget.AtTime(0)).join().committed()).isZero();
        assertThat(groups().reset("orders", "g", new ResetTarget.AfterOffset(2)).join().committed()).isEqualTo(2);
        assertRefused(() -> groups().reset("orders", "g", new ResetTarget.AfterOffset(-1)).join(), ErrorCode.BAD_REQUEST);
    }

    private void publish(String topic, int count) {
        List<MessageDraft> drafts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            drafts.add(MessageDraft.of("text/plain", ("m" + i).getBytes(StandardCharsets.UTF_8)));
        }
        hub.publish(new AppendRequest(topic, drafts, Durability.SYNC, null)).join();
    }

    private static List<Long> offsets(List<Delivery> deliveries) {
        return deliveries.stream().map(Delivery::offset).toList();
    }

    private static void assertRefused(ThrowingCallable call, ErrorCode code) {
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).as("refusal").isNotNull();
        assertThat(SwitchboardException.of(thrown).code()).as(String.valueOf(thrown)).isEqualTo(code);
    }

    private static final class RecordingGroupSession implements GroupSession {
        private final List<Long> offsets = new CopyOnWriteArrayList<>();

        List<Long> offsets() {
            return offsets;
        }

        @Override
        public void deliver(GroupConsumer consumer, List<Delivery> deliveries) {
            deliveries.forEach(d -> offsets.add(d.offset()));
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void failed(GroupConsumer consumer, SwitchboardException error) {
            throw new AssertionError("consumer failed", error);
        }
    }
}
