package dev.switchboard.server.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.TestServer;
import dev.switchboard.server.http.ApiClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Consumer groups over WebSocket with the JDK client: prefetch window, acks, nacks, competing sockets. */
class GroupWebSocketTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static TestServer server;
    private static ApiClient api;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("group-max-in-flight", "50"));
        api = new ApiClient(server.url());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static List<Long> offsets(WsClient ws) {
        return ws.ofType("message").stream().map(m -> m.get("offset").asLong()).toList();
    }

    private static void publish(String topic, int count) {
        IntStream.range(0, count).forEach(i -> api.publishJson(topic, "{\"n\":" + i + "}"));
    }

    @Test
    void theServerSendsNoMoreThanTheWindowUntilAcksArrive() {
        String topic = ApiClient.freshTopic("wsg");
        publish(topic, 10);
        try (WsClient ws = WsClient.connect(server.url(), Map.of())) {
            ws.send("{\"op\":\"consume\",\"topic\":\"" + topic + "\",\"group\":\"billing\",\"max_in_flight\":3,\"id\":\"c\"}");

            await().atMost(WAIT).until(() -> offsets(ws).size() == 3);
            JsonNode consuming = ws.ofType("consuming").getFirst();
            assertThat(consuming.get("max_in_flight").asInt()).isEqualTo(3);
            assertThat(consuming.get("id").asText()).isEqualTo("c");
            await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> offsets(ws).size() == 3);
            JsonNode first = ws.ofType("message").getFirst();
            assertThat(first.get("group").asText()).isEqualTo("billing");
            assertThat(first.get("attempt").asInt()).isEqualTo(1);
            assertThat(first.get("data").get("n").asInt()).isZero();

            ws.send("{\"op\":\"ack\",\"topic\":\"" + topic + "\",\"group\":\"billing\",\"offsets\":[1,2,3],\"id\":\"a1\"}");

            await().atMost(WAIT).until(() -> offsets(ws).size() == 6);
            assertThat(offsets(ws)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
            JsonNode acked = ws.ofType("acked").getFirst();
            assertThat(acked.get("committed").asLong()).isEqualTo(3);
        }
    }

    @Test
    void aNackedMessageComesBackWithItsNextAttempt() {
        String topic = ApiClient.freshTopic("wsg");
        publish(topic, 1);
        try (WsClient ws = WsClient.connect(server.url(), Map.of())) {
            ws.send("{\"op\":\"consume\",\"topic\":\"" + topic + "\",\"group\":\"billing\",\"max_in_flight\":1}");
            await().atMost(WAIT).until(() -> offsets(ws).size() == 1);

            ws.send("{\"op\":\"nack\",\"topic\":\"" + topic + "\",\"group\":\"billing\",\"offsets\":[1],\"reason\":\"retry me\"}");

            await().atMost(WAIT).until(() -> offsets(ws).size() == 2);
            assertThat(ws.ofType("message").get(1).get("attempt").asInt()).isEqualTo(2);
        }
    }

    @Test
    void twoSocketsInOneGroupShareTheMessagesAndAClosedSocketGivesItsShareBack() {
        String topic = ApiClient.freshTopic("wsg");
        publish(topic, 4);
        try (WsClient a = WsClient.connect(server.url(), Map.of()); WsClient b = WsClient.connect(server.url(), Map.of())) {
            a.send("{\"op\":\"consume\",\"topic\":\"" + topic + "\",\"group\":\"g\",\"max_in_flight\":2,\"lease\":\"5m\"}");
            await().atMost(WAIT).until(() -> offsets(a).size() == 2);
            b.send("{\"op\":\"consume\",\"topic\":\"" + topic + "\",\"group\":\"g\",\"max_in_flight\":10}");
            await().atMost(WAIT).until(() -> offsets(b).size() == 2);
            assertThat(offsets(a)).doesNotContainAnyElementsOf(offsets(b));

            a.close();

            await().atMost(WAIT).until(() -> offsets(b).size() == 4);
            assertThat(offsets(b)).containsExactlyInAnyOrder(1L, 2L, 3L, 4L);
        }
    }

    @Test
    void badOpsGetErrorFramesAndTheSocketStaysUsable() {
        String topic = ApiClient.freshTopic("wsg");
        publish(topic, 2);
        try (WsClient ws = WsClient.connect(server.url(), Map.of())) {
            ws.send("{\"op\":\"ack\",\"topic\":\"" + topic + "\",\"group\":\"g\",\"offsets\":[1],\"id\":1}");
            ws.send("{\"op\":\"consume\",\"topic\":\"" + topic + "\",\"group\":\"no/slash\",\"id\":2}");
            ws.send("{\"op\":\"consume\",\"topic\":\"" + topic + "\",\"group\":\"g\",\"max_in_flight\":51,\"id\":3}");
            ws.send("{\"op\":\"consume\",\"topic\":\"" + topic + "\",\"group\":\"g\",\"max_in_flight\":1,\"id\":4}");
            await().atMost(WAIT).until(() -> offsets(ws).size() == 1);
            ws.send("{\"op\":\"consume\",\"topic\":\"" + topic + "\",\"group\":\"g\",\"id\":5}");
            ws.send("{\"op\":\"ack\",\"topic\":\"" + topic + "\",\"group\":\"g\",\"offsets\":[1,2],\"id\":6}");
            ws.send("{\"op\":\"ack\",\"topic\":\"" + topic + "\",\"group\":\"g\",\"offsets\":\"all\",\"id\":7}");

            await().atMost(WAIT).until(() -> ws.ofType("error").size() == 6);
            assertThat(ws.ofType("error")).extracting(e -> e.get("id").asInt() + ":" + e.get("code").asText()).containsExactly(
                    "1:bad-request", "2:bad-group", "3:bad-request", "5:bad-request", "6:lease-not-held", "7:bad-request");
            assertThat(ws.ofType("error").get(4).get("group").asText()).isEqualTo("g");

            ws.send("{\"op\":\"ack\",\"topic\":\"" + topic + "\",\"group\":\"g\",\"offsets\":[1],\"id\":8}");
            await().atMost(WAIT).until(() -> offsets(ws).size() == 2);
            ws.send("{\"op\":\"stop\",\"topic\":\"" + topic + "\",\"group\":\"g\",\"id\":9}");
            await().atMost(WAIT).until(() -> ws.ofType("stopped").size() == 1);
        }
        await().atMost(WAIT).untilAsserted(() -> assertThat(ApiClient.json(api.get("/v1/topics/" + topic + "/groups/g")).get("in_flight").asInt())
                .as("stop gave offset 2 back").isZero());
    }
}
