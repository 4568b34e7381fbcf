package dev.switchboard.server.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.message.MessageDraft;
import dev.switchboard.core.store.AppendRequest;
import dev.switchboard.core.store.Durability;
import dev.switchboard.server.TestServer;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class WebSocketTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("store", "memory", "max-subscriptions", "3", "max-frame", "1KiB",
                "allowed-origins", "https://app.example.com"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void oneSocketFollowsThreeTopicsEachMessageWithItsTopicInOrder() {
        try (WsClient ws = WsClient.connect(server.url(), Map.of())) {
            for (String t : List.of("multi-a", "multi-b", "multi-c")) {
                ws.send("{\"op\":\"subscribe\",\"topic\":\"" + t + "\",\"id\":\"" + t + "\"}");
            }
            await().atMost(WAIT).until(() -> ws.ofType("subscribed").size() == 3);
            assertThat(ws.ofType("subscribed")).allSatisfy(f -> {
                assertThat(f.get("next").asLong()).isZero();
                assertThat(f.get("epoch").asText()).isEqualTo(server.server().context().hub().epoch());
                assertThat(f.get("id").asText()).isEqualTo(f.get("topic").asText());
            });

            for (int i = 1; i <= 5; i++) {
                for (String t : List.of("multi-a", "multi-b", "multi-c")) {
                    publish(t, "{\"n\":" + i + ",\"topic\":\"" + t + "\"}");
                }
            }

            await().atMost(WAIT).until(() -> ws.ofType("message").size() == 15);
            for (String t : List.of("multi-a", "multi-b", "multi-c")) {
                List<JsonNode> mine = ws.matching(f -> f.path("type").asText().equals("message") && f.path("topic").asText().equals(t));
                assertThat(mine).extracting(f -> f.get("offset").asLong()).containsExactly(1L, 2L, 3L, 4L, 5L);
                assertThat(mine).extracting(f -> f.get("data").get("n").asInt()).containsExactly(1, 2, 3, 4, 5);
                assertThat(mine).allSatisfy(f -> assertThat(f.get("data").get("topic").asText()).isEqualTo(t));
            }
        }
    }

    @Test
    void publishOverTheSocketIsAckedWithItsOffsetAndReadsBackAsTheSameValue() {
        try (WsClient watcher = WsClient.connect(server.url(), Map.of());
             WsClient publisher = WsClient.connect(server.url(), Map.of())) {
            watcher.send("{\"op\":\"subscribe\",\"topic\":\"chat\"}");
            await().atMost(WAIT).until(() -> watcher.ofType("subscribed").size() == 1);

            publisher.send("{\"op\":\"publish\",\"topic\":\"chat\",\"data\":\"hello\",\"id\":1}");
            publisher.send("{\"op\":\"publish\",\"topic\":\"chat\",\"data\":{\"text\":\"hi\",\"n\":[1,2]},\"id\":\"two\",\"durability\":\"async\"}");

            await().atMost(WAIT).until(() -> publisher.ofType("ack").size() == 2);
            JsonNode first = publisher.ofType("ack").get(0);
            assertThat(first.get("id").asInt()).isEqualTo(1);
            assertThat(first.get("topic").asText()).isEqualTo("chat");
            assertThat(first.get("offset").asLong()).isEqualTo(1);
            assertThat(first.get("time").asText()).endsWith("Z");
            assertThat(publisher.ofType("ack").get(1).get("id").asText()).isEqualTo("two");
            assertThat(publisher.ofType("ack").get(1).get("offset").asLong()).isEqualTo(2);

            await().atMost(WAIT).until(() -> watcher.ofType("message").size() == 2);
            assertThat(watcher.ofType("message").get(0).get("data").asText()).isEqualTo("hello");
            assertThat(watcher.ofType("message").get(1).get("data").toString()).isEqualTo("{\"text\":\"hi\",\"n\":[1,2]}");
        }
    }

    @Test
    void subscribeWithAfterResumesWithExactlyTheMessagesAfterIt() {
        for (int i = 1; i <= 5; i++) {
            publish("resume", "\"m" + i + "\"");
        }
        try (WsClient ws = WsClient.connect(server.url(), Map.of())) {
            ws.send("{\"op\":\"subscribe\",\"topic\":\"resume\",\"after\":2}");
            await().atMost(WAIT).until(() -> ws.ofType("message").size() == 3);
            assertThat(ws.frames.getFirst().get("type").asText()).isEqualTo("subscribed");
            assertThat(ws.frames.getFirst().get("next").asLong()).isEqualTo(2);
            assertThat(ws.ofType("message")).extracting(f -> f.get("offset").asLong()).containsExactly(3L, 4L, 5L);

            ws.send("{\"op\":\"unsubscribe\",\"topic\":\"resume\",\"id\":7}");
            await().atMost(WAIT).until(() -> ws.ofType("unsubscribed").size() == 1);
            assertThat(ws.ofType("unsubscribed").getFirst().get("id").asInt()).isEqualTo(7);
        }
    }

    @Test
    void badRequestsGetErrorFramesAndTheSocketStaysOpen() {
        try (WsClient ws = WsClient.connect(server.url(), Map.of())) {
            ws.send("{not json");
            ws.send("{\"op\":\"dance\",\"id\":1}");
            ws.send("{\"op\":\"subscribe\",\"id\":2}");
            ws.send("{\"op\":\"subscribe\",\"topic\":\"no spaces allowed\",\"id\":3}");
            ws.send("{\"op\":\"subscribe\",\"topic\":\"twice\",\"id\":4}");
            ws.send("{\"op\":\"subscribe\",\"topic\":\"twice\",\"id\":5}");
            ws.send("{\"op\":\"publish\",\"topic\":\"twice\",\"id\":6}");
            ws.send("{\"op\":\"publish\",\"topic\":\"_jobs/1\",\"data\":1,\"id\":7}");
            ws.send("{\"op\":\"subscribe\",\"topic\":\"x\",\"after\":-1,\"id\":8}");
            ws.send("{\"op\":\"unsubscribe\",\"topic\":\"never\",\"id\":9}");

            await().atMost(WAIT).until(() -> ws.ofType("error").size() == 9 && ws.ofType("subscribed").size() == 1);
            assertThat(ws.ofType("error")).extracting(f -> f.path("id").asText("-") + " " + f.get("status").asInt() + " " + f.get("code").asText())
                    .containsExactlyInAnyOrder("- 400 malformed-json", "1 400 unknown-op", "2 400 bad-request", "3 400 bad-topic",
                            "5 400 bad-request", "6 400 bad-request", "7 400 bad-topic", "8 400 bad-request", "9 400 bad-request");
            assertThat(ws.ofType("error")).allSatisfy(f -> assertThat(f.get("detail").asText()).isNotBlank());
            assertThat(ws.closed).isNotDone();

            ws.send("{\"op\":\"publish\",\"topic\":\"twice\",\"data\":\"still here\",\"id\":10}");
            await().atMost(WAIT).until(() -> ws.ofType("ack").size() == 1);
        }
    }

    @Test
    void subscriptionsAboveMaxSubscriptionsAreRefusedWith429() {
        try (WsClient ws = WsClient.connect(server.url(), Map.of())) {
            for (String t : List.of("cap-1", "cap-2", "cap-3", "cap-4")) {
                ws.send("{\"op\":\"subscribe\",\"topic\":\"" + t + "\",\"id\":\"" + t + "\"}");
            }
            await().atMost(WAIT).until(() -> ws.ofType("subscribed").size() == 3 && ws.ofType("error").size() == 1);
            JsonNode error = ws.ofType("error").getFirst();
            assertThat(error.get("id").asText()).isEqualTo("cap-4");
            assertThat(error.get("status").asInt()).isEqualTo(429);
            assertThat(error.get("code").asText()).isEqualTo("too-many-subscriptions");
            assertThat(error.get("detail").asText()).contains("limit is 3");
        }
    }

    @Test
    void messageAboveMaxFrameClosesTheSocketWith1009() throws Exception {
        try (WsClient ws = WsClient.connect(server.url(), Map.of())) {
            ws.send("{\"op\":\"publish\",\"topic\":\"big\",\"data\":\"" + "x".repeat(2000) + "\"}");
            assertThat(ws.closed.get(10, TimeUnit.SECONDS).code()).isEqualTo(1009);
        }
    }

    @Test
    void binaryFrameClosesTheSocketWith1003() throws Exception {
        try (WsClient ws = WsClient.connect(server.url(), Map.of())) {
            ws.sendBinary(new byte[] {1, 2, 3});
            assertThat(ws.closed.get(10, TimeUnit.SECONDS).code()).isEqualTo(1003);
        }
    }

    @Test
    void upgradeFromAnotherSiteIsRefusedWith403() {
        assertThatThrownBy(() -> WsClient.connect(server.url(), Map.of("Origin", "https://evil.example")))
                .isInstanceOf(CompletionException.class)
                .cause().isInstanceOfSatisfying(WebSocketHandshakeException.class,
                        e -> assertThat(e.getResponse().statusCode()).isEqualTo(403));
    }

    @Test
    void upgradeFromTheSameOriginOrAnAllowedOriginIsAccepted() {
        String same = server.url();
        for (String origin : List.of(same, "https://app.example.com")) {
            try (WsClient ws = WsClient.connect(server.url(), Map.of("Origin", origin))) {
                ws.send("{\"op\":\"subscribe\",\"topic\":\"origins\"}");
                await().atMost(WAIT).until(() -> ws.ofType("subscribed").size() == 1);
            }
        }
    }

    private static void publish(String topic, String json) {
        server.server().context().hub().publish(new AppendRequest(topic,
                List.of(MessageDraft.of("application/json", json.getBytes(StandardCharsets.UTF_8))), Durability.SYNC, null)).join();
    }
}
