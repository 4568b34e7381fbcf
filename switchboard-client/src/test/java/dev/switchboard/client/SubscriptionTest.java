package dev.switchboard.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SubscriptionTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    @Test
    void everyTransportDeliversTheSameMessagesForTheSamePublishes() {
        try (RealServer server = RealServer.memory();
                SwitchboardClient client = SwitchboardClient.builder(server.url()).build()) {
            Map<Transport, Recorder> recorders = subscribeAll(client, "same", 0L);
            client.publishJson("same", "{\"sku\":\"A-1\",\"qty\":2}");
            client.publishText("same", "first line\nsecond line");
            client.publishBatch("same", List.of("[1,2]", "\"three\"", "4"), Durability.SYNC);
            client.publishText("same", "");

            for (Recorder r : recorders.values()) {
                await().atMost(PATIENCE).until(() -> r.messages.size() == 6);
            }
            Recorder sse = recorders.get(Transport.SSE);
            assertThat(sse.offsets()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
            assertThat(sse.texts()).containsExactly("{\"sku\":\"A-1\",\"qty\":2}", "first line\nsecond line", "[1,2]", "three", "4", "");
            recorders.forEach((transport, r) -> {
                assertThat(r.offsets()).as(transport.name()).isEqualTo(sse.offsets());
                assertThat(r.texts()).as(transport.name()).isEqualTo(sse.texts());
            });
        }
    }

    @Test
    void aSubscriptionFromNowOnSkipsWhatWasAlreadyThere() {
        try (RealServer server = RealServer.memory();
                SwitchboardClient client = SwitchboardClient.builder(server.url()).build()) {
            client.publishText("fresh", "old");
            Map<Transport, Recorder> recorders = subscribeAll(client, "fresh", null);
            // "Now" is fixed once each subscription knows where the end is.
            awaitPositions(client);

            client.publishText("fresh", "new");

            recorders.forEach((transport, r) -> {
                await().atMost(PATIENCE).until(() -> r.messages.size() == 1);
                assertThat(r.texts()).as(transport.name()).containsExactly("new");
            });
        }
    }

    @Test
    void aServerRestartMidSubscriptionIsInvisible() {
        try (RealServer server = RealServer.sqlite();
                SwitchboardClient client = SwitchboardClient.builder(server.url()).build()) {
            Map<Transport, Recorder> recorders = subscribeAll(client, "restart", 0L);
            for (int i = 1; i <= 5; i++) {
                client.publishText("restart", "m" + i);
            }
            recorders.values().forEach(r -> await().atMost(PATIENCE).until(() -> r.messages.size() == 5));

            server.restart();
            for (int i = 6; i <= 10; i++) {
                client.publishText("restart", "m" + i);
            }

            List<Long> expected = LongStream.rangeClosed(1, 10).boxed().toList();
            recorders.forEach((transport, r) -> {
                await().atMost(PATIENCE).until(() -> r.messages.size() >= 10);
                assertThat(r.offsets()).as(transport.name()).isEqualTo(expected);
                assertThat(r.texts()).as(transport.name()).containsExactly("m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9", "m10");
                assertThat(r.gaps).isEmpty();
                assertThat(r.ended).isFalse();
            });
            // The restart was seen by the SDK (the streams were cut), just not by the application.
            assertThat(recorders.get(Transport.SSE).reconnects).isNotEmpty();
            assertThat(recorders.get(Transport.WEBSOCKET).reconnects).isNotEmpty();
        }
    }

    @Test
    void aReplacedStoreIsReportedAsCannotResumeAndEndsTheSubscription() {
        try (RealServer server = RealServer.memory();
                SwitchboardClient client = SwitchboardClient.builder(server.url()).build()) {
            Map<Transport, Recorder> recorders = subscribeAll(client, "wiped", 0L);
            client.publishText("wiped", "one");
            recorders.values().forEach(r -> await().atMost(PATIENCE).until(() -> r.messages.size() == 1));

            server.restart(); // a memory store starts empty, with a new epoch
            client.publishText("wiped", "other store");

            recorders.forEach((transport, r) -> {
                await(transport.name()).atMost(PATIENCE).until(() -> r.ended);
                assertThat(r.cannotResume).as(transport.name()).singleElement()
                        .satisfies(e -> assertThat(e.status()).isEqualTo(409));
                assertThat(r.texts()).as(transport.name()).containsExactly("one");
            });
        }
    }

    @Test
    void everyTransportReportsTheGapRetentionLeftAndGoesOnFromTheOldestRetained() {
        // Retention keeps 2 messages per topic and runs every 100ms; a small ring so nothing is served from memory.
        try (RealServer server = RealServer.memory(Map.of("retention-max-messages", "2", "retention-interval", "100ms",
                        "ring-size", "16"));
                SwitchboardClient client = SwitchboardClient.builder(server.url()).build()) {
            client.publishBatch("trimmed", List.of("1", "2", "3", "4", "5"), Durability.SYNC);
            await().atMost(PATIENCE).until(() -> client.topics().get(0).first() == 4);

            Map<Transport, Recorder> recorders = subscribeAll(client, "trimmed", 0L);

            recorders.forEach((transport, r) -> {
                await(transport.name()).atMost(PATIENCE).until(() -> r.messages.size() == 2);
                assertThat(r.gaps).as(transport.name()).containsExactly(new Gap(0, 4));
                assertThat(r.offsets()).as(transport.name()).containsExactly(4L, 5L);
            });
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aQuietSubscriptionOutlivesTheRequestTimeout(Transport transport) {
        try (RealServer server = RealServer.memory();
                SwitchboardClient client = SwitchboardClient.builder(server.url()).requestTimeout(Duration.ofMillis(300)).build()) {
            Recorder r = new Recorder();
            client.subscribe("quiet", options(transport).after(0).longPollWait(Duration.ofMillis(500)), r);
            await().atMost(PATIENCE).until(() -> client.subscriptions().get(0).lastOffset() == 0);

            // Three timeouts' worth of silence: the request timeout bounds waiting for an answer, not a stream.
            await().pollDelay(Duration.ofSeconds(1)).atMost(PATIENCE).until(() -> true);
            client.publishText("quiet", "late");

            await().atMost(PATIENCE).until(() -> r.messages.size() == 1);
            assertThat(r.reconnects).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void closingStopsDeliveryAndEndsWithoutCause(Transport transport) {
        try (RealServer server = RealServer.memory();
                SwitchboardClient client = SwitchboardClient.builder(server.url()).build()) {
            Recorder r = new Recorder();
            Subscription s = client.subscribe("closing", options(transport).after(0), r);
            client.publishText("closing", "one");
            await().atMost(PATIENCE).until(() -> r.messages.size() == 1);

            s.close();
            client.publishText("closing", "two");

            assertThat(s.isOpen()).isFalse();
            assertThat(s.lastOffset()).isEqualTo(1);
            assertThat(r.ended).isTrue();
            assertThat(r.ends).isEmpty();
            assertThat(r.texts()).containsExactly("one");
        }
    }

    @Test
    void aListenerThatThrowsEndsItsSubscriptionWithThatException() {
        try (RealServer server = RealServer.memory();
                SwitchboardClient client = SwitchboardClient.builder(server.url()).build()) {
            Recorder r = new Recorder();
            IllegalStateException boom = new IllegalStateException("boom");
            client.subscribe("throwing", options(Transport.SSE).after(0), new SubscriptionListener() {
                @Override
                public void onMessage(Message message) {
                    throw boom;
                }

                @Override
                public void onEnd(Throwable cause) {
                    r.onEnd(cause);
                }
            });
            client.publishText("throwing", "one");

            await().atMost(PATIENCE).until(() -> r.ended);
            assertThat(r.ends).containsExactly(boom);
        }
    }

    private static Map<Transport, Recorder> subscribeAll(SwitchboardClient client, String topic, Long after) {
        Map<Transport, Recorder> recorders = new EnumMap<>(Transport.class);
        for (Transport t : Transport.values()) {
            Recorder r = new Recorder();
            SubscribeOptions o = options(t);
            client.subscribe(topic, after == null ? o : o.after(after), r);
            recorders.put(t, r);
        }
        return recorders;
    }

    private static void awaitPositions(SwitchboardClient client) {
        // Every subscription reports a start position once the server told it where "now" is.
        await().atMost(PATIENCE).until(() -> client.subscriptions().stream().allMatch(s -> s.lastOffset() >= 0));
    }

    /** Fast polls and reconnects, so the tests wait on the server, not on the defaults. */
    static SubscribeOptions options(Transport t) {
        return SubscribeOptions.of(t).pollInterval(Duration.ofMillis(50)).longPollWait(Duration.ofSeconds(5))
                .backoff(Duration.ofMillis(50), Duration.ofMillis(500));
    }
}
