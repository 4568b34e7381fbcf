package dev.switchboard.server.http;

import static dev.switchboard.server.http.ApiClient.assertProblem;
import static dev.switchboard.server.http.ApiClient.json;
import static dev.switchboard.server.http.ApiClient.messages;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.TestServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ReadRouteTest {
    private static TestServer server;
    private static ApiClient api;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("store", "memory", "max-read", "50", "max-wait", "40s"));
        api = new ApiClient(server.url());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void shortPollingPagesThroughTheLogWithAfterLimitAndNext() {
        String topic = publishNumbers(ApiClient.freshTopic("pages"), 5);

        JsonNode page1 = api.read(topic, "after=0&limit=2");
        JsonNode page2 = api.read(topic, "after=" + page1.get("next").asLong() + "&limit=2");
        JsonNode page3 = api.read(topic, "after=" + page2.get("next").asLong() + "&limit=2");
        JsonNode page4 = api.read(topic, "after=" + page3.get("next").asLong() + "&limit=2");

        assertThat(offsets(page1)).containsExactly(1L, 2L);
        assertThat(page1.get("next").asLong()).isEqualTo(2);
        assertThat(page1.get("topic").asText()).isEqualTo(topic);
        assertThat(page1.get("epoch").asText()).isEqualTo(server.server().context().hub().epoch());
        assertThat(page1.has("gap")).isFalse();
        assertThat(offsets(page2)).containsExactly(3L, 4L);
        assertThat(offsets(page3)).containsExactly(5L);
        assertThat(offsets(page4)).isEmpty();
        assertThat(page4.get("next").asLong()).isEqualTo(5);
    }

    @Test
    void afterZeroReadsFromTheOldestAndNoAfterReadsFromTheEnd() {
        String topic = publishNumbers(ApiClient.freshTopic("ends"), 3);

        assertThat(offsets(api.read(topic, "after=0"))).containsExactly(1L, 2L, 3L);
        JsonNode fromEnd = api.read(topic, "limit=10");
        assertThat(offsets(fromEnd)).isEmpty();
        assertThat(fromEnd.get("next").asLong()).isEqualTo(3);
    }

    @Test
    void theDefaultLimitIsCappedByMaxRead() {
        String topic = ApiClient.freshTopic("cap");
        api.publish(topic, "application/x-ndjson", "1\n".repeat(60));

        assertThat(offsets(api.read(topic, "after=0"))).hasSize(50);
    }

    @Test
    void aShortPollingClientResumesFromItsLastNextAndGetsExactlyWhatItMissed() {
        String topic = publishNumbers(ApiClient.freshTopic("resume-short"), 3);
        long next = api.read(topic, "after=0").get("next").asLong();

        publishNumbers(topic, 4);
        JsonNode resumed = api.read(topic, "after=" + next);

        assertThat(offsets(resumed)).containsExactly(4L, 5L, 6L, 7L);
        assertThat(data(resumed)).containsExactly(1, 2, 3, 4);
    }

    @Test
    void aLongPollingClientResumesFromItsLastNextAndGetsExactlyWhatItMissed() {
        String topic = publishNumbers(ApiClient.freshTopic("resume-long"), 2);
        long next = api.read(topic, "after=0&wait=5s").get("next").asLong();

        publishNumbers(topic, 3);
        JsonNode resumed = api.read(topic, "after=" + next + "&wait=5s");

        assertThat(next).isEqualTo(2);
        assertThat(offsets(resumed)).containsExactly(3L, 4L, 5L);
        assertThat(data(resumed)).containsExactly(1, 2, 3);
    }

    @Test
    void aLongPollReturnsAtOnceWhenMessagesAreAlreadyThere() throws Exception {
        String topic = publishNumbers(ApiClient.freshTopic("ready"), 1);

        HttpResponse<String> r = api.getAsync(messages(topic) + "?after=0&wait=30s").get(5, TimeUnit.SECONDS);

        assertThat(offsets(json(r))).containsExactly(1L);
    }

    @Test
    void aLongPollIsHeldUntilAMessageIsPublishedAndThenAnsweredWithIt() throws Exception {
        String topic = publishNumbers(ApiClient.freshTopic("held"), 1);
        CompletableFuture<HttpResponse<String>> poll = api.getAsync(messages(topic) + "?after=1&wait=30s");

        await().atMost(Duration.ofSeconds(5)).until(() -> api.longPollers(topic) == 1);
        assertThat(poll).isNotDone();
        api.publishJson(topic, "{\"hello\":true}");

        HttpResponse<String> r = poll.get(5, TimeUnit.SECONDS);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode page = json(r);
        assertThat(offsets(page)).containsExactly(2L);
        assertThat(page.get("messages").get(0).get("data").get("hello").asBoolean()).isTrue();
        assertThat(page.get("next").asLong()).isEqualTo(2);
        await().atMost(Duration.ofSeconds(5)).until(() -> api.longPollers(topic) == 0);
    }

    @Test
    void aLongPollWithNothingNewAnswersAnEmptyPageWhenTheWaitEnds() {
        String topic = publishNumbers(ApiClient.freshTopic("timeout"), 2);

        long start = System.nanoTime();
        JsonNode page = api.read(topic, "after=2&wait=300ms");

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
        assertThat(offsets(page)).isEmpty();
        assertThat(page.get("next").asLong()).isEqualTo(2);
    }

    @Test
    void aLongPollClientThatHangsUpIsRemovedFromTheTopic() throws IOException {
        String topic = publishNumbers(ApiClient.freshTopic("hangup"), 1);
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + messages(topic) + "?wait=40s HTTP/1.1\r\nHost: test\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            await().atMost(Duration.ofSeconds(5)).until(() -> api.longPollers(topic) == 1);
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> api.longPollers(topic) == 0);
    }

    @Test
    void aPositionBeyondTheLastOffsetCannotBeResumed() {
        String topic = publishNumbers(ApiClient.freshTopic("beyond"), 2);

        JsonNode problem = assertProblem(api.get(messages(topic) + "?after=9"), 409, "cannot-resume");
        assertThat(problem.get("detail").asText()).contains("9").contains("2");
        assertProblem(api.get(messages(topic) + "?after=9&wait=1s"), 409, "cannot-resume");
    }

    @Test
    void aPositionFromAnotherEpochCannotBeResumedButTheRightEpochReads() {
        String topic = publishNumbers(ApiClient.freshTopic("epoch"), 1);
        String epoch = server.server().context().hub().epoch();

        HttpResponse<String> wrong = api.get(messages(topic) + "?after=0&epoch=not-this-store");
        assertProblem(wrong, 409, "cannot-resume");
        assertThat(wrong.headers().firstValue("switchboard-epoch")).hasValue(epoch);
        assertThat(offsets(api.read(topic, "after=0&epoch=" + epoch))).containsExactly(1L);
    }

    @Test
    void badAfterLimitAndWaitValuesAreRefusedWithTheNumbers() {
        String topic = publishNumbers(ApiClient.freshTopic("bad-query"), 1);

        assertThat(assertProblem(api.get(messages(topic) + "?after=-1"), 400, "bad-request").get("detail").asText())
                .contains("after=-1");
        assertThat(assertProblem(api.get(messages(topic) + "?after=abc"), 400, "bad-request").get("detail").asText())
                .contains("after=abc");
        assertThat(assertProblem(api.get(messages(topic) + "?limit=0"), 400, "bad-request").get("detail").asText())
                .contains("limit=0").contains("50");
        assertThat(assertProblem(api.get(messages(topic) + "?limit=51"), 400, "bad-request").get("detail").asText())
                .contains("limit=51").contains("50");
        assertProblem(api.get(messages(topic) + "?wait=soon"), 400, "bad-request");
        assertThat(assertProblem(api.get(messages(topic) + "?wait=2m"), 400, "wait-too-long").get("detail").asText())
                .contains("2m").contains("40s");
        assertProblem(api.get(messages("-bad") + "?after=0"), 400, "bad-topic");
        assertThat(api.lastOffset(topic)).isEqualTo(1);
    }

    @Test
    void readsAreCountedByTransportInMetrics() {
        String topic = publishNumbers(ApiClient.freshTopic("metrics"), 1);
        api.read(topic, "after=0");
        api.read(topic, "after=0&wait=1s");

        String metrics = api.get("/metrics").body();
        assertThat(metrics).containsPattern("switchboard_deliveries_total\\{transport=\"short-poll\"} [1-9]");
        assertThat(metrics).containsPattern("switchboard_deliveries_total\\{transport=\"long-poll\"} [1-9]");
    }

    private static String publishNumbers(String topic, int n) {
        StringBuilder lines = new StringBuilder();
        for (int i = 1; i <= n; i++) {
            lines.append(i).append('\n');
        }
        HttpResponse<String> r = api.publish(topic, "application/x-ndjson", lines.toString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return topic;
    }

    private static List<Long> offsets(JsonNode page) {
        List<Long> offsets = new ArrayList<>();
        page.get("messages").forEach(m -> offsets.add(m.get("offset").asLong()));
        return offsets;
    }

    private static List<Integer> data(JsonNode page) {
        List<Integer> data = new ArrayList<>();
        page.get("messages").forEach(m -> data.add(m.get("data").asInt()));
        return data;
    }
}
