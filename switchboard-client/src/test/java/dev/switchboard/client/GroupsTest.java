package dev.switchboard.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Consumer groups through the SDK against a real server: the calls, and a consumer over each transport. */
class GroupsTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    static RealServer server;
    static SwitchboardClient client;

    @BeforeAll
    static void start() {
        server = RealServer.memory();
        client = SwitchboardClient.builder(server.url()).requestTimeout(Duration.ofSeconds(10)).build();
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    private static void publish(String topic, int count) {
        List<String> values = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            values.add("{\"n\":" + i + "}");
        }
        client.publishBatch(topic, values, Durability.SYNC);
    }

    /** The group's committed offset; -1 while it does not exist (a WebSocket consumer creates it with its first lease). */
    private static long committed(String topic, String group) {
        return committed(client, topic, group);
    }

    private static long committed(SwitchboardClient c, String topic, String group) {
        try {
            return c.groupState(topic, group).committed();
        } catch (SwitchboardClientException e) {
            if (e.status() == 404) {
                return -1;
            }
            throw e;
        }
    }

    @Test
    void fetchAckNackStateAndResetMakeARoundTrip() throws Exception {
        publish("orders", 4);

        Fetched fetched = client.fetch("orders", "billing", 3, null, Duration.ofSeconds(45));
        GroupState acked = client.ack("orders", "billing", fetched.lease(), List.of(1L, 2L));
        GroupState nacked = client.nackAsync("orders", "billing", fetched.lease(), List.of(3L), null, "not yet").get();
        Fetched again = client.fetch("orders", "billing", 10, Duration.ofSeconds(5), null);

        assertThat(fetched.offsets()).containsExactly(1L, 2L, 3L);
        assertThat(fetched.leaseDuration()).isEqualTo(Duration.ofSeconds(45));
        assertThat(fetched.messages().get(0).message().data().path("n").asInt()).isEqualTo(1);
        assertThat(fetched.messages()).extracting(GroupMessage::attempt).containsOnly(1);
        assertThat(acked.committed()).isEqualTo(2);
        assertThat(acked.inFlight()).isEqualTo(1);
        assertThat(acked.oldestUnackedTime()).isNotNull();
        assertThat(nacked.inFlight()).isZero();
        assertThat(again.offsets()).containsExactlyInAnyOrder(3L, 4L);
        assertThat(again.messages()).filteredOn(m -> m.offset() == 3).extracting(GroupMessage::attempt).containsExactly(2);

        client.ack("orders", "billing", again.lease(), again.offsets());
        GroupState state = client.groupState("orders", "billing");
        assertThat(state.committed()).isEqualTo(4);
        assertThat(state.lag()).isZero();
        assertThat(state.last()).isEqualTo(4);
        assertThat(state.oldestUnackedTime()).isNull();
        assertThat(client.groupsAsync("orders").get()).extracting(GroupState::group).containsExactly("billing");

        assertThat(client.resetGroup("orders", "billing", GroupReset.afterOffset(1)).committed()).isEqualTo(1);
        assertThat(client.fetch("orders", "billing", 10, null, null).offsets()).containsExactly(2L, 3L, 4L);
        assertThat(client.resetGroup("orders", "billing", GroupReset.latest()).committed()).isEqualTo(4);
        assertThat(client.resetGroup("orders", "billing", GroupReset.earliest()).committed()).isZero();
        assertThat(client.resetGroup("orders", "billing", GroupReset.at(Instant.parse("2000-01-01T00:00:00Z"))).committed()).isZero();
    }

    @Test
    void aFetchWhoseWaitEndsHasNoMessages() {
        Fetched fetched = client.fetch("quiet", "billing", 10, Duration.ofMillis(200), null);

        assertThat(fetched.messages()).isEmpty();
    }

    @Test
    void offsetsNotHeldUnderTheLeaseAreRefusedWithTheirCodeAndChangeNothing() {
        publish("held", 1);
        Fetched fetched = client.fetch("held", "billing", 10, null, null);

        assertThatThrownBy(() -> client.ack("held", "billing", "not-mine", List.of(1L)))
                .isInstanceOfSatisfying(SwitchboardClientException.class, e -> {
                    assertThat(e.status()).isEqualTo(409);
                    assertThat(e.code()).isEqualTo("lease-not-held");
                    assertThat(e.retryable()).isFalse();
                });
        assertThatThrownBy(() -> client.nack("held", "billing", fetched.lease(), List.of(1L, 99L), null, null))
                .isInstanceOfSatisfying(SwitchboardClientException.class, e -> assertThat(e.code()).isEqualTo("lease-not-held"));
        assertThatThrownBy(() -> client.groupState("held", "stranger"))
                .isInstanceOfSatisfying(SwitchboardClientException.class, e -> assertThat(e.status()).isEqualTo(404));
        assertThat(client.groupState("held", "billing").inFlight()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(names = {"WEBSOCKET", "LONG_POLL"})
    void aConsumerHandlesEveryMessageOnceWhenNothingFails(Transport transport) {
        String topic = "every-" + transport.name().toLowerCase();
        publish(topic, 60);
        GroupRecorder handler = new GroupRecorder();

        try (GroupConsumer consumer = client.consume(topic, "billing", ConsumeOptions.of(transport).maxInFlight(8), handler)) {
            publish(topic, 40);
            await().atMost(PATIENCE).until(() -> committed(topic, "billing") == 100);

            assertThat(consumer.isOpen()).isTrue();
        }

        assertThat(handler.offsets()).containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, 100).boxed().toList());
        assertThat(handler.handled).extracting(GroupMessage::attempt).containsOnly(1);
        assertThat(handler.problems).isEmpty();
        assertThat(handler.ended).isTrue();
        assertThat(handler.ends).isEmpty();
        assertThat(client.groupState(topic, "billing").inFlight()).isZero();
        assertThat(client.consumers()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(names = {"WEBSOCKET", "LONG_POLL"})
    void aThrowingHandlerGetsTheMessageAgainWithAttemptTwo(Transport transport) {
        String topic = "again-" + transport.name().toLowerCase();
        publish(topic, 3);
        GroupRecorder handler = new GroupRecorder(m -> m.offset() == 2 && m.attempt() == 1);

        try (GroupConsumer consumer = client.consume(topic, "billing", ConsumeOptions.of(transport), handler)) {
            await().atMost(PATIENCE).until(() -> handler.handled.size() == 4);
        }

        assertThat(handler.handled).filteredOn(m -> m.offset() == 2).extracting(GroupMessage::attempt).containsExactly(1, 2);
        assertThat(handler.handled).filteredOn(m -> m.offset() != 2).extracting(GroupMessage::attempt).containsOnly(1);
        assertThat(client.read(topic + ".dlq", 0L, 10).messages()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(names = {"WEBSOCKET", "LONG_POLL"})
    void aRedeliveredMessageIsAcknowledgedOnceItsHandlerSucceeds(Transport transport) {
        String topic = "settled-" + transport.name().toLowerCase();
        publish(topic, 3);
        GroupRecorder handler = new GroupRecorder(m -> m.offset() == 2 && m.attempt() == 1);

        try (GroupConsumer consumer = client.consume(topic, "billing", ConsumeOptions.of(transport), handler)) {
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(committed(topic, "billing"))
                    .as("handled %s, problems %s", handler.handled, handler.problems).isEqualTo(3));
        }

        assertThat(handler.problems).isEmpty();
    }

    @Test
    void aMessageThatKeepsFailingEndsInTheDeadLetterTopicWithTheHandlersReason() {
        try (RealServer strict = RealServer.memory(Map.of("group-max-attempts", "2"));
                SwitchboardClient c = SwitchboardClient.builder(strict.url()).build()) {
            c.publishText("poison", "bad");
            GroupRecorder handler = new GroupRecorder(m -> true);

            try (GroupConsumer consumer = c.consume("poison", "billing", ConsumeOptions.of(Transport.LONG_POLL), handler)) {
                await().atMost(PATIENCE).until(() -> committed(c, "poison", "billing") == 1);
            }

            Message dead = c.read("poison.dlq", 0L, 10).messages().getFirst();
            assertThat(dead.text()).isEqualTo("bad");
            assertThat(dead.headers()).containsEntry("sb-dlq-reason", "cannot handle offset 1 yet");
            assertThat(handler.handled).extracting(GroupMessage::attempt).containsExactly(1, 2);
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"WEBSOCKET", "LONG_POLL"})
    void aConsumerReconnectsAfterAServerRestartAndGoesOn(Transport transport) {
        try (RealServer restarting = RealServer.sqlite();
                SwitchboardClient c = SwitchboardClient.builder(restarting.url()).build()) {
            for (int i = 1; i <= 5; i++) {
                c.publishText("restart", "m" + i);
            }
            GroupRecorder handler = new GroupRecorder();
            ConsumeOptions options = ConsumeOptions.of(transport).longPollWait(Duration.ofSeconds(2))
                    .backoff(Duration.ofMillis(50), Duration.ofMillis(500));
            try (GroupConsumer consumer = c.consume("restart", "billing", options, handler)) {
                await().atMost(PATIENCE).until(() -> committed(c, "restart", "billing") == 5);

                restarting.restart();
                for (int i = 6; i <= 10; i++) {
                    c.publishText("restart", "m" + i);
                }

                await().atMost(PATIENCE).until(() -> committed(c, "restart", "billing") == 10);
                assertThat(consumer.isOpen()).isTrue();
            }
            assertThat(handler.offsets()).containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, 10).boxed().toList());
            assertThat(handler.reconnects).isNotEmpty();
            assertThat(handler.ends).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"WEBSOCKET", "LONG_POLL"})
    void closingFromTheHandlerAcksItsMessageAndGivesBackTheRest(Transport transport) {
        String topic = "closing-" + transport.name().toLowerCase();
        publish(topic, 10);
        CompletableFuture<GroupConsumer> self = new CompletableFuture<>();
        GroupRecorder handler = new GroupRecorder(m -> {
            self.join().close(); // after the first message: the other nine were taken but not handled
            return false;
        });

        self.complete(client.consume(topic, "billing", ConsumeOptions.of(transport).maxInFlight(10), handler));
        await().atMost(PATIENCE).until(() -> handler.ended);

        assertThat(handler.handled).hasSize(1);
        assertThat(handler.ends).isEmpty();
        await().atMost(PATIENCE).untilAsserted(() -> {
            GroupState state = client.groupState(topic, "billing");
            assertThat(state.committed()).isEqualTo(1);
            assertThat(state.inFlight()).isZero();
        });
    }

    @Test
    void closingALongPollConsumerHangsUpItsWaitingFetchSoNothingIsLeasedToIt() throws Exception {
        String topic = "hang-up";
        client.resetGroup(topic, "billing", GroupReset.earliest());
        GroupRecorder handler = new GroupRecorder();
        openConnections();
        double before = openConnections();
        try (SwitchboardClient own = SwitchboardClient.builder(server.url()).build()) {
            GroupConsumer consumer = own.consume(topic, "billing", ConsumeOptions.of(Transport.LONG_POLL), handler);
            await().atMost(PATIENCE).until(() -> openConnections() > before); // its fetch is on the wire

            consumer.close();
            await().atMost(PATIENCE).until(() -> openConnections() == before); // the server saw the hang-up
            publish(topic, 1);

            assertThat(handler.ended).isTrue();
            Fetched fetched = client.fetch(topic, "billing", 10, Duration.ofSeconds(10), null);
            assertThat(fetched.offsets()).containsExactly(1L);
            assertThat(fetched.messages().getFirst().attempt()).as("nothing was leased to the closed consumer").isEqualTo(1);
            assertThat(handler.handled).isEmpty();
        }
    }

    /** The server's open connections, asked over one kept-alive connection so that asking does not change the count. */
    private static double openConnections() throws Exception {
        String metrics = METRICS.send(HttpRequest.newBuilder(URI.create(server.url() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("(?m)^switchboard_connections_open(?:\\{[^}]*})? (\\S+)$").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }

    private static final HttpClient METRICS = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
}
