package dev.switchboard.server.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.core.message.MessageDraft;
import dev.switchboard.core.store.AppendRequest;
import dev.switchboard.core.store.Durability;
import dev.switchboard.server.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class WebSocketLifecycleTest {
    private static final String TRANSPORT = "ws";
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void shutdownClosesEverySocketWith1001AndTheReason() throws Exception {
        TestServer server = TestServer.start(Map.of("store", "memory"));
        try (WsClient subscribed = WsClient.connect(server.url(), Map.of());
             WsClient idle = WsClient.connect(server.url(), Map.of())) {
            subscribed.send("{\"op\":\"subscribe\",\"topic\":\"bye\"}");
            await().atMost(WAIT).until(() -> subscribed.ofType("subscribed").size() == 1);

            server.server().shutdown();

            assertThat(subscribed.closed.get(10, TimeUnit.SECONDS)).isEqualTo(new WsClient.Closed(1001, "server shutting down"));
            assertThat(idle.closed.get(10, TimeUnit.SECONDS)).isEqualTo(new WsClient.Closed(1001, "server shutting down"));
        } finally {
            server.close();
        }
    }

    @Test
    void quietSocketIsPingedEveryWsPingAndStaysOpenWhileItAnswers() {
        try (TestServer server = TestServer.start(Map.of("store", "memory", "ws-ping", "200ms"));
             WsClient ws = WsClient.connect(server.url(), Map.of())) {
            // Five pings span more than the 2 × ws-ping after a ping that a silent client gets.
            await().atMost(WAIT).until(() -> ws.pings.get() >= 5);
            assertThat(ws.closed).isNotDone();
        }
    }

    @Test
    void closingTheSocketLeavesEveryTopic() {
        try (TestServer server = TestServer.start(Map.of("store", "memory"))) {
            var hub = server.server().context().hub();
            WsClient ws = WsClient.connect(server.url(), Map.of());
            for (String t : List.of("leave-a", "leave-b")) {
                ws.send("{\"op\":\"subscribe\",\"topic\":\"" + t + "\"}");
            }
            await().atMost(WAIT).until(() -> ws.ofType("subscribed").size() == 2);
            assertThat(hub.info("leave-a").join().subscribers()).containsEntry("ws", 1);

            ws.close();

            await().atMost(WAIT).until(() -> hub.info("leave-a").handle((i, e) -> e != null || i.subscribers().isEmpty()).join()
                    && hub.info("leave-b").handle((i, e) -> e != null || i.subscribers().isEmpty()).join());
        }
    }

    @Test
    void socketThatStopsReadingIsClosedWith1013SlowConsumer() throws Exception {
        try (TestServer server = TestServer.start(Map.of("store", "memory", "session-budget", "256KiB"))) {
            StalledWsClient stalled = new StalledWsClient();
            try (stalled) {
                stalled.connectAndSubscribe(server.port(), "flood");
                await().atMost(WAIT).until(() -> server.server().context().hub().info("flood")
                        .handle((i, e) -> e == null && i.subscribers().getOrDefault("ws", 0) == 1).join());
                byte[] payload = "\"".concat("y".repeat(8_000)).concat("\"").getBytes();
                long published = 0;
                while (slowConsumerCloses(server) == 0 && published < 4_000) {
                    server.server().context().hub().publish(new AppendRequest("flood",
                            java.util.Collections.nCopies(8, MessageDraft.of("application/json", payload)), Durability.ASYNC, null)).join();
                    published += 8;
                    long sent = published;
                    // A steady publisher: the next batch once the last one reached the socket's queue.
                    await().atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2))
                        .until(() -> counter(server, "switchboard_deliveries_total") >= sent || slowConsumerCloses(server) > 0);
                }
                assertThat(slowConsumerCloses(server)).isEqualTo(1.0);
                assertThat(stalled.readCloseCode()).isEqualTo(1013);
            }
        }
    }

    private static double slowConsumerCloses(TestServer server) {
        return counter(server, "switchboard_slow_consumer_closes_total");
    }

    /** A counter of this transport from /metrics, as the server renders it. */
    private static double counter(TestServer server, String name) {
        Matcher m = Pattern.compile(name + "\\{transport=\"%s\"[^}]*} ([0-9.E]+)".formatted(TRANSPORT))
                .matcher(server.server().context().metrics().scrape());
        if (!m.find()) {
            throw new AssertionError(name + " for " + TRANSPORT + " is missing from /metrics");
        }
        return Double.parseDouble(m.group(1));
    }
}
