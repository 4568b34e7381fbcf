package dev.switchboard.server.http;

import static dev.switchboard.server.http.ApiClient.assertProblem;
import static dev.switchboard.server.http.ApiClient.messages;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.server.TestServer;
import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Limits and the edges of the URL space; each refusal is problem+json and changes nothing. */
class HttpLimitsTest {

    @Test
    void aBodyAboveMaxBodyIs413AndNothingIsAppended() {
        try (TestServer server = TestServer.start(Map.of("store", "memory", "max-body", "1KiB"))) {
            ApiClient api = new ApiClient(server.url());
            String topic = ApiClient.freshTopic("big");
            api.publishJson(topic, "1");

            // Far larger than one read: the server answers before the body is in, then drains it, so the
            // client still gets the 413 instead of a connection reset.
            HttpResponse<String> r = api.publish(topic, "text/plain", "x".repeat(512 * 1024));

            assertThat(assertProblem(r, 413, "body-too-large").get("detail").asText()).contains("1024");
            assertThat(api.lastOffset(topic)).isEqualTo(1);
            assertThat(api.publish(topic, "text/plain", "x".repeat(1024)).statusCode()).isEqualTo(201);
        }
    }

    @Test
    void headersAboveMaxHeaderAre431AndNothingIsAppended() {
        try (TestServer server = TestServer.start(Map.of("store", "memory", "max-header", "1KiB"))) {
            ApiClient api = new ApiClient(server.url());
            String topic = ApiClient.freshTopic("big-header");
            api.publishJson(topic, "1");

            // Many reads' worth of headers: the answer must survive the bytes the server leaves unread.
            String answer = RawHttp.exchange(server.port(), "POST " + messages(topic) + " HTTP/1.1\r\nHost: t\r\n"
                    + "X-Padding: " + "p".repeat(64 * 1024) + "\r\nContent-Type: application/json\r\nContent-Length: 1\r\n\r\n2");

            assertThat(answer).startsWith("HTTP/1.1 431").containsIgnoringCase("content-type: application/problem+json")
                    .contains("header-too-large");
            assertThat(api.lastOffset(topic)).isEqualTo(1);
        }
    }

    @Test
    void aConnectionOverMaxConnectionsGets503ProblemJson() throws IOException {
        try (TestServer server = TestServer.start(Map.of("store", "memory", "max-connections", "2"));
             Socket first = new Socket("127.0.0.1", server.port());
             Socket second = new Socket("127.0.0.1", server.port())) {
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> server.server().context().metrics().scrape().contains("switchboard_connections_open 2.0"));

            // The refusal is written on accept, before the request is read; the client sends one at once anyway.
            String answer = RawHttp.exchange(server.port(), "GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n");

            assertThat(answer).startsWith("HTTP/1.1 503").contains("application/problem+json").contains("too-many-connections");
        }
    }

    @Test
    void unknownPathsAre404AndWrongMethodsAre405WithAllow() {
        try (TestServer server = TestServer.start(Map.of("store", "memory"))) {
            ApiClient api = new ApiClient(server.url());
            String topic = ApiClient.freshTopic("methods");
            api.publishJson(topic, "1");

            assertProblem(api.get("/v2/nothing"), 404, "not-found");
            HttpResponse<String> delete = api.send("DELETE", messages(topic));
            assertProblem(delete, 405, "method-not-allowed");
            assertThat(delete.headers().firstValue("allow")).hasValue("GET, POST");
            HttpResponse<String> postInfo = api.send("POST", "/v1/topics/" + topic);
            assertProblem(postInfo, 405, "method-not-allowed");
            assertThat(postInfo.headers().firstValue("allow")).hasValue("GET");
            assertThat(api.lastOffset(topic)).isEqualTo(1);
        }
    }

    @Test
    void healthReadinessAndMetricsAnswerAndMetricsCountHttpPublishes() {
        try (TestServer server = TestServer.start(Map.of("store", "memory"))) {
            ApiClient api = new ApiClient(server.url());
            api.publish(ApiClient.freshTopic("metrics"), "application/x-ndjson", "1\n2\n");

            assertThat(api.get("/healthz").statusCode()).isEqualTo(200);
            assertThat(api.get("/readyz").statusCode()).isEqualTo(200);
            HttpResponse<String> metrics = api.get("/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("switchboard_publishes_total{transport=\"http\"} 2.0");
        }
    }
}
