package dev.switchboard.core.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.switchboard.core.config.ConfigLoader;
import dev.switchboard.core.error.CloseReason;
import dev.switchboard.core.error.ErrorCode;
import dev.switchboard.core.error.SwitchboardException;
import dev.switchboard.core.message.Message;
import dev.switchboard.core.message.MessageDraft;
import dev.switchboard.core.store.AppendRequest;
import dev.switchboard.core.store.Appended;
import dev.switchboard.core.store.Durability;
import dev.switchboard.core.store.memory.MemoryLogStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.LongStream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The hub against the memory store, with recording sessions in place of connections. */
final class HubTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    // Held strongly: java.util.logging forgets loggers nobody references, and the handler with them.
    private static final Logger HUB_LOG = Logger.getLogger("dev.switchboard.core.hub");

    private final MemoryLogStore store = new MemoryLogStore();
    private final List<LogRecord> problems = new CopyOnWriteArrayList<>();
    private final Handler recorder = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                problems.add(record);
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };
    private Hub hub;

    @BeforeEach
    void startHub() {
        HUB_LOG.addHandler(recorder);
        hub = hub(Map.of());
    }

    @AfterEach
    void stopHub() {
        hub.close();
        HUB_LOG.removeHandler(recorder);
        assertThat(problems).extracting(LogRecord::getMessage).as("warnings logged by the hub").isEmpty();
    }

    @Test
    void topicsNobodyUsesAreForgottenAndComeBackWhole() {
        publish("read-once", 3);
        hub.read("read-once", 0L, 10, null).join();
        RecordingSession live = new RecordingSession();
        hub.subscribe(live, "followed", null, null).join();

        assertThat(hub.retireIdleTopics(60_000)).as("both used just now").isEqualTo(2);
        assertThat(hub.retireIdleTopics(-1)).as("the followed topic stays; the one only read goes").isEqualTo(1);

        publish("read-once", 2);
        assertThat(hub.read("read-once", 3L, 10, null).join().messages()).extracting(Message::offset).containsExactly(4L, 5L);
        RecordingSession late = new RecordingSession();
        hub.subscribe(late, "read-once", 5L, null).join();
        publish("read-once", 1);
        publish("followed", 2);
        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(late.offsets()).containsExactly(6L);
            assertThat(live.offsets()).containsExactly(1L, 2L);
        });
    }

    @Test
    void subscribersRacingTheSweepAreNeverLeftOnAForgottenTopic() throws Exception {
        List<RecordingSession> sessions = new CopyOnWriteArrayList<>();
        Thread sweeper = Thread.ofPlatform().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                hub.retireIdleTopics(-1); // everything unsubscribed counts as idle: the harshest sweep
            }
        });
        try {
            for (int i = 0; i < 2000; i++) {
                String topic = "race-" + i;
                hub.read(topic, 0L, 10, null).join();
                RecordingSession s = new RecordingSession();
                hub.subscribe(s, topic, 0L, null).join();
                sessions.add(s);
            }
        } finally {
            sweeper.interrupt();
            sweeper.join();
        }
        for (int i = 0; i < 2000; i++) {
            publish("race-" + i, 1);
        }
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(sessions).allSatisfy(s -> assertThat(s.offsets()).containsExactly(1L)));
    }

    @Test
    void liveSubscriberGetsEveryMessageInOrder() {
        RecordingSession session = new RecordingSession();
        hub.subscribe(session, "orders", null, null).join();

        for (int i = 0; i < 100; i++) {
            publish("orders", i % 3 + 1);
        }

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(session.offsets()).isEqualTo(range(1, 199)));
    }

    @Test
    void subscribersBehindTheRingCatchUpAndRejoinLiveWithoutGapOrDuplicate() {
        for (int i = 0; i < 100; i++) {
            publish("orders", 2);
        }
        CompletableFuture<Void> publisher = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < 2_000; i++) {
                publish("orders", 1 + i % 2);
            }
        });
        List<RecordingSession> sessions = new ArrayList<>();
        Map<RecordingSession, Long> from = new HashMap<>();
        for (long after : new long[] {0, 5, 100, 150, 190}) {
            RecordingSession s = new RecordingSession();
            hub.subscribe(s, "orders", after, hub.epoch()).join();
            sessions.add(s);
            from.put(s, after);
        }

        publisher.join();
        long last = 200 + 3_000;
        for (RecordingSession s : sessions) {
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(s.offsets()).isEqualTo(range(from.get(s) + 1, last)));
            assertThat(s.skips()).isEmpty();
        }
    }

    @Test
    void resumingAfterTheLastOffsetCannotResume() {
        publish("orders", 3);

        assertRefused(() -> hub.subscribe(new RecordingSession(), "orders", 10L, null).join(), ErrorCode.CANNOT_RESUME,
                "cannot resume topic 'orders' after offset 10: its last offset is 3");
        assertRefused(() -> hub.read("orders", 4L, 10, null).join(), ErrorCode.CANNOT_RESUME, "its last offset is 3");
    }

    @Test
    void resumingFromAnotherEpochCannotResume() {
        publish("orders", 3);

        assertRefused(() -> hub.subscribe(new RecordingSession(), "orders", 1L, "an-old-epoch").join(),
                ErrorCode.CANNOT_RESUME, "the position is from store epoch an-old-epoch but this store's epoch is " + hub.epoch());
        assertRefused(() -> hub.poll("orders", 1L, 10, Duration.ofSeconds(1), "an-old-epoch").join(),
                ErrorCode.CANNOT_RESUME, "an-old-epoch");
    }

    @Test
    void longPollAnswersAtOnceWhenMessagesExist() {
        publish("orders", 3);

        ReadResult result = hub.poll("orders", 1L, 10, Duration.ofMinutes(5), null).join();

        assertThat(offsets(result)).containsExactly(2L, 3L);
        assertThat(result.next()).isEqualTo(3);
        assertThat(result.epoch()).isEqualTo(hub.epoch());
    }

    @Test
    void longPollWaitsForTheNextPublish() {
        publish("orders", 2);
        CompletableFuture<ReadResult> poll = hub.poll("orders", null, 10, Duration.ofMinutes(5), null);
        awaitSubscribers("orders", Map.of("long-poll", 1));
        assertThat(poll).isNotDone();

        publish("orders", 1);

        assertThat(poll).succeedsWithin(PATIENCE).satisfies(r -> {
            assertThat(offsets(r)).containsExactly(3L);
            assertThat(r.next()).isEqualTo(3);
        });
        awaitSubscribers("orders", Map.of());
    }

    @Test
    void longPollAnswersEmptyWhenTheWaitEnds() {
        publish("orders", 2);

        ReadResult result = hub.poll("orders", 2L, 10, Duration.ofMillis(50), null).join();

        assertThat(result.messages()).isEmpty();
        assertThat(result.next()).isEqualTo(2);
        assertThat(result.hasGap()).isFalse();
        awaitSubscribers("orders", Map.of());
    }

    @Test
    void cancellingALongPollRemovesItsWaiter() {
        publish("orders", 1);
        CompletableFuture<ReadResult> poll = hub.poll("orders", null, 10, Duration.ofMinutes(5), null);
        awaitSubscribers("orders", Map.of("long-poll", 1));

        poll.cancel(false);

        awaitSubscribers("orders", Map.of());
        publish("orders", 1);
        assertThat(poll).isCancelled();
    }

    @Test
    void readersAndSubscribersFromBeforeRetainedMessagesAreToldOfTheGap() {
        Hub trimming = hub(Map.of("retention-max-messages", "10", "retention-interval", "100ms"));
        for (int i = 0; i < 20; i++) {
            trimming.publish(request("orders", 2)).join();
        }
        await().atMost(PATIENCE).until(() -> store.head("orders").first() == 31);

        ReadResult read = trimming.read("orders", 0L, 100, null).join();
        RecordingSession session = new RecordingSession();
        trimming.subscribe(session, "orders", 0L, null).join();

        assertThat(read.skippedBefore()).isEqualTo(31);
        assertThat(offsets(read)).isEqualTo(range(31, 40));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(session.offsets()).isEqualTo(range(31, 40)));
        assertThat(session.skips()).containsExactly(new RecordingSession.Skip(0, 31));
        trimming.close();
    }

    @Test
    void shutdownClosesSessionsAndRefusesPublishes() {
        RecordingSession session = new RecordingSession();
        hub.subscribe(session, "orders", null, null).join();
        publish("orders", 1);

        hub.shutdown(Duration.ofSeconds(5));

        assertThat(session.closedWith()).isEqualTo(CloseReason.SERVER_SHUTDOWN);
        assertRefused(() -> hub.publish(request("orders", 1)).join(), ErrorCode.SHUTTING_DOWN,
                "publish to 'orders' refused: the server is shutting down");
    }

    private Hub hub(Map<String, String> settings) {
        Map<String, String> flags = new HashMap<>(Map.of("ring-size", "16", "retention-interval", "1h"));
        flags.putAll(settings);
        return new Hub(store, ConfigLoader.load(flags, Map.of()));
    }

    private Appended publish(String topic, int count) {
        return hub.publish(request(topic, count)).join();
    }

    private static AppendRequest request(String topic, int count) {
        List<MessageDraft> drafts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            drafts.add(MessageDraft.of("text/plain", ("m" + i).getBytes(StandardCharsets.UTF_8)));
        }
        return new AppendRequest(topic, drafts, Durability.SYNC, null);
    }

    private void awaitSubscribers(String topic, Map<String, Integer> expected) {
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(hub.info(topic).join().subscribers()).isEqualTo(expected));
    }

    private static void assertRefused(ThrowingCallable call, ErrorCode code, String detail) {
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).as("refusal").isNotNull();
        SwitchboardException refusal = SwitchboardException.of(thrown);
        assertThat(refusal.code()).isEqualTo(code);
        assertThat(refusal.detail()).contains(detail);
    }

    private static List<Long> offsets(ReadResult result) {
        return result.messages().stream().map(Message::offset).toList();
    }

    private static List<Long> range(long first, long last) {
        return LongStream.rangeClosed(first, last).boxed().toList();
    }
}
