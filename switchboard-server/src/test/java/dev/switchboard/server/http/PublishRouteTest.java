package dev.switchboard.server.http;

import static dev.switchboard.server.http.ApiClient.assertProblem;
import static dev.switchboard.server.http.ApiClient.json;
import static dev.switchboard.server.http.ApiClient.messages;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.TestServer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PublishRouteTest {
    private static TestServer server;
    private static ApiClient api;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("store", "memory"));
        api = new ApiClient(server.url());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void jsonIsStoredAsSentAndReadBackEmbedded() {
        String topic = ApiClient.freshTopic("json");
        HttpResponse<String> r = api.publish(topic, "application/json", "{\"id\": 7, \"tags\": [\"a\", \"b\"]}");

        assertThat(r.statusCode()).isEqualTo(201);
        JsonNode ack = json(r);
        assertThat(ack.get("topic").asText()).isEqualTo(topic);
        assertThat(ack.get("offset").asLong()).isEqualTo(1);
        assertThat(ack.get("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(r.headers().firstValue("location")).hasValue(messages(topic) + "?after=0&limit=1");
        assertThat(r.headers().firstValue("switchboard-epoch")).isPresent();

        JsonNode m = api.read(topic, "after=0").get("messages").get(0);
        assertThat(m.get("offset").asLong()).isEqualTo(1);
        assertThat(m.get("time").asText()).isEqualTo(ack.get("time").asText());
        assertThat(m.get("data")).isEqualTo(ApiClient.JSON.createObjectNode().put("id", 7)
                .set("tags", ApiClient.JSON.createArrayNode().add("a").add("b")));
        assertThat(m.has("content_type")).isFalse();
    }

    @Test
    void theLocationHeaderReadsBackExactlyThePublishedMessage() {
        String topic = ApiClient.freshTopic("location");
        api.publishJson(topic, "1");
        HttpResponse<String> r = api.publish(topic, "application/json", "2");

        JsonNode page = json(api.get(r.headers().firstValue("location").orElseThrow()));
        assertThat(page.get("messages")).hasSize(1);
        assertThat(page.get("messages").get(0).get("data").asInt()).isEqualTo(2);
    }

    @Test
    void jsonSuffixTypesAreJsonAndKeepTheirContentType() {
        String topic = ApiClient.freshTopic("problem-json");
        assertThat(api.publish(topic, "application/cloudevents+json", "{\"a\":1}").statusCode()).isEqualTo(201);

        JsonNode m = api.read(topic, "after=0").get("messages").get(0);
        assertThat(m.get("data").get("a").asInt()).isEqualTo(1);
        assertThat(m.get("content_type").asText()).isEqualTo("application/cloudevents+json");
    }

    @Test
    void textIsReadBackAsAString() {
        String topic = ApiClient.freshTopic("text");
        assertThat(api.publish(topic, "text/plain; charset=utf-8", "héllo\nworld").statusCode()).isEqualTo(201);
        assertThat(api.publish(topic, "text/csv", "a,b").statusCode()).isEqualTo(201);

        JsonNode ms = api.read(topic, "after=0").get("messages");
        assertThat(ms.get(0).get("data").asText()).isEqualTo("héllo\nworld");
        assertThat(ms.get(0).has("content_type")).isFalse();
        assertThat(ms.get(1).get("data").asText()).isEqualTo("a,b");
        assertThat(ms.get(1).get("content_type").asText()).isEqualTo("text/csv");
    }

    @Test
    void binaryIsReadBackAsBase64WithItsContentType() {
        String topic = ApiClient.freshTopic("binary");
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0, (byte) 0xFF};
        assertThat(api.post(messages(topic), "image/png", png).statusCode()).isEqualTo(201);

        JsonNode m = api.read(topic, "after=0").get("messages").get(0);
        assertThat(Base64.getDecoder().decode(m.get("data").asText())).isEqualTo(png);
        assertThat(m.get("encoding").asText()).isEqualTo("base64");
        assertThat(m.get("content_type").asText()).isEqualTo("image/png");
    }

    @Test
    void curlStyleFormBodiesAndUntypedBodiesAreTextWhenUtf8AndBytesOtherwise() {
        String topic = ApiClient.freshTopic("form");
        assertThat(api.publish(topic, "application/x-www-form-urlencoded", "hello from curl -d").statusCode()).isEqualTo(201);
        assertThat(api.post(messages(topic), null, "no type".getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(201);
        byte[] latin1 = {'c', 'a', 'f', (byte) 0xE9};
        assertThat(api.post(messages(topic), "application/x-www-form-urlencoded", latin1).statusCode()).isEqualTo(201);

        JsonNode ms = api.read(topic, "after=0").get("messages");
        assertThat(ms.get(0).get("data").asText()).isEqualTo("hello from curl -d");
        assertThat(ms.get(0).has("content_type")).isFalse();
        assertThat(ms.get(1).get("data").asText()).isEqualTo("no type");
        assertThat(ms.get(2).get("encoding").asText()).isEqualTo("base64");
        assertThat(ms.get(2).get("content_type").asText()).isEqualTo("application/octet-stream");
        assertThat(Base64.getDecoder().decode(ms.get(2).get("data").asText())).isEqualTo(latin1);
    }

    @Test
    void anEmptyBodyIsAnEmptyMessage() {
        String topic = ApiClient.freshTopic("empty");
        assertThat(api.post(messages(topic), null, new byte[0]).statusCode()).isEqualTo(201);

        assertThat(api.read(topic, "after=0").get("messages").get(0).get("data").asText()).isEmpty();
    }

    @Test
    void anNdjsonBatchAppendsOneJsonMessagePerLineInOrder() {
        String topic = ApiClient.freshTopic("batch");
        api.publishJson(topic, "0");
        HttpResponse<String> r = api.publish(topic, "application/x-ndjson", "{\"n\":1}\r\n\n  \n[2]\n\"three\"");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode ack = json(r);
        assertThat(ack.get("first").asLong()).isEqualTo(2);
        assertThat(ack.get("last").asLong()).isEqualTo(4);
        assertThat(ack.get("count").asInt()).isEqualTo(3);
        assertThat(ack.get("time").asText()).isNotEmpty();
        JsonNode ms = api.read(topic, "after=1").get("messages");
        assertThat(ms).hasSize(3);
        assertThat(ms.get(0).get("data").get("n").asInt()).isEqualTo(1);
        assertThat(ms.get(1).get("data").get(0).asInt()).isEqualTo(2);
        assertThat(ms.get(2).get("data").asText()).isEqualTo("three");
    }

    @Test
    void aRetryWithTheSameIdempotencyKeyAnswers200WithTheFirstResultAndAppendsNothing() {
        String topic = ApiClient.freshTopic("idem");
        HttpResponse<String> first = api.publish(topic, "application/json", "{\"order\":1}", "Idempotency-Key", "order-1");
        HttpResponse<String> retry = api.publish(topic, "application/json", "{\"order\":1}", "Idempotency-Key", "order-1");
        HttpResponse<String> other = api.publish(topic, "application/json", "{\"order\":2}", "Idempotency-Key", "order-2");

        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(retry.statusCode()).isEqualTo(200);
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(other.statusCode()).isEqualTo(201);
        assertThat(json(other).get("offset").asLong()).isEqualTo(2);
        assertThat(api.read(topic, "after=0").get("messages")).hasSize(2);
    }

    @Test
    void aRetriedBatchIsNotAppendedTwice() {
        String topic = ApiClient.freshTopic("idem-batch");
        HttpResponse<String> first = api.publish(topic, "application/x-ndjson", "1\n2\n", "Idempotency-Key", "b-1");
        HttpResponse<String> retry = api.publish(topic, "application/x-ndjson", "1\n2\n", "Idempotency-Key", "b-1");

        assertThat(retry.statusCode()).isEqualTo(200);
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(api.lastOffset(topic)).isEqualTo(2);
    }

    @Test
    void invalidIdempotencyKeysAreRefused() {
        String topic = ApiClient.freshTopic("bad-key");
        api.publishJson(topic, "1");

        assertProblem(api.publish(topic, "application/json", "2", "Idempotency-Key", "has space"), 400, "bad-request");
        assertProblem(api.publish(topic, "application/json", "2", "Idempotency-Key", "k".repeat(201)), 400, "bad-request");
        String nonAscii = RawHttp.exchange(server.port(), "POST " + messages(topic) + " HTTP/1.1\r\nHost: t\r\n"
                + "Content-Type: application/json\r\nIdempotency-Key: caf\u00e9\r\nContent-Length: 1\r\nConnection: close\r\n\r\n2");
        assertThat(nonAscii).startsWith("HTTP/1.1 400").contains("application/problem+json").contains("Idempotency-Key");
        assertThat(api.lastOffset(topic)).isEqualTo(1);
    }

    @Test
    void syncAndAsyncDurabilityBothPublishAndAnythingElseIsRefused() {
        String topic = ApiClient.freshTopic("durability");
        assertThat(api.post(messages(topic) + "?durability=sync", "application/json", bytes("1")).statusCode()).isEqualTo(201);
        assertThat(api.post(messages(topic) + "?durability=async", "application/json", bytes("2")).statusCode()).isEqualTo(201);

        JsonNode problem = assertProblem(api.post(messages(topic) + "?durability=eventually", "application/json", bytes("3")),
                400, "bad-request");
        assertThat(problem.get("detail").asText()).contains("eventually");
        assertThat(api.lastOffset(topic)).isEqualTo(2);
    }

    @Test
    void malformedJsonIsRefusedWithTheParsersLineAndColumn() {
        String topic = ApiClient.freshTopic("malformed");
        api.publishJson(topic, "1");

        HttpResponse<String> r = api.publish(topic, "application/json", "{\n  \"a\": tru\n}");
        JsonNode problem = assertProblem(r, 400, "malformed-json");
        assertThat(problem.get("detail").asText()).contains("line 2, column");
        assertThat(r.headers().firstValue("switchboard-epoch")).isPresent();
        assertProblem(api.publish(topic, "application/json", "1 2"), 400, "malformed-json");
        assertProblem(api.publish(topic, "application/json", ""), 400, "malformed-json");
        assertProblem(api.publish(topic, "application/json", "{\"a\":1"), 400, "malformed-json");
        assertProblem(api.post(messages(topic), "application/json", new byte[] {'"', (byte) 0xC3, '"'}), 400, "malformed-json");
        assertProblem(api.post(messages(topic), "application/json", new byte[] {0, '{', 0, '}'}), 400, "malformed-json");
        assertThat(api.lastOffset(topic)).isEqualTo(1);
    }

    @Test
    void aBadNdjsonLineRefusesTheWholeBatchNamingTheLine() {
        String topic = ApiClient.freshTopic("bad-batch");
        api.publishJson(topic, "1");

        JsonNode problem = assertProblem(api.publish(topic, "application/x-ndjson", "{\"a\":1}\n\n{\"b\":\n{\"c\":3}\n"),
                400, "malformed-json");
        assertThat(problem.get("detail").asText()).contains("line 3");
        assertProblem(api.publish(topic, "application/x-ndjson", "\n \n"), 400, "bad-request");
        assertThat(api.lastOffset(topic)).isEqualTo(1);
    }

    @Test
    void textThatIsNotUtf8IsRefusedRatherThanMangled() {
        String topic = ApiClient.freshTopic("latin1");
        api.publishJson(topic, "1");

        assertProblem(api.post(messages(topic), "text/plain; charset=iso-8859-1", new byte[] {'c', (byte) 0xE9}),
                415, "unsupported-media-type");
        assertThat(api.lastOffset(topic)).isEqualTo(1);
    }

    @Test
    void invalidTopicNamesAreRefused() {
        for (String bad : new String[] {"-starts-with-dash", "has%20space", "x".repeat(201), "semi;colon"}) {
            assertProblem(api.publish(bad, "application/json", "1"), 400, "bad-topic");
        }
        assertThat(json(api.get("/v1/topics")).get("topics").findValuesAsText("topic"))
                .noneMatch(t -> t.contains("space") || t.contains("semi") || t.startsWith("-") || t.startsWith("xxx"));
    }

    @Test
    void reservedTopicsCannotBePublishedTo() {
        JsonNode problem = assertProblem(api.publish("_jobs%2F42", "application/json", "{}"), 400, "bad-topic");

        assertThat(problem.get("detail").asText()).contains("reserved");
        assertThat(server.server().context().hub().topics().join()).noneMatch(h -> h.topic().startsWith("_"));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
