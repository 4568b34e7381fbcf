package dev.switchboard.server.http;

import static dev.switchboard.server.http.ApiClient.assertProblem;
import static dev.switchboard.server.http.ApiClient.json;
import static dev.switchboard.server.http.ApiClient.messages;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.TestServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TopicRoutesTest {
    private static TestServer server;
    private static ApiClient api;

    @BeforeAll
    static void start() {
        // A small ring and retention that keeps 5 messages, so reads can fall behind what is retained.
        server = TestServer.start(Map.of("store", "memory", "ring-size", "16",
                "retention-max-messages", "5", "retention-interval", "100ms"));
        api = new ApiClient(server.url());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void topicInfoGivesTheRetainedRangeSubscribersByTransportAndTheEpoch() {
        String topic = ApiClient.freshTopic("info");
        api.publish(topic, "application/x-ndjson", "1\n2\n3\n");

        HttpResponse<String> r = api.info(topic);

        assertThat(r.statusCode()).isEqualTo(200);
        String epoch = server.server().context().hub().epoch();
        assertThat(r.headers().firstValue("switchboard-epoch")).hasValue(epoch);
        JsonNode info = json(r);
        assertThat(info.get("topic").asText()).isEqualTo(topic);
        assertThat(info.get("first").asLong()).isEqualTo(1);
        assertThat(info.get("last").asLong()).isEqualTo(3);
        assertThat(info.get("count").asLong()).isEqualTo(3);
        assertThat(info.get("subscribers").get("sse").asInt()).isZero();
        assertThat(info.get("subscribers").get("ws").asInt()).isZero();
        assertThat(info.get("subscribers").get("long-poll").asInt()).isZero();
        assertThat(info.get("epoch").asText()).isEqualTo(epoch);
    }

    @Test
    void anUnknownTopicIs404AndABadNameIs400() {
        HttpResponse<String> unknown = api.info(ApiClient.freshTopic("never"));

        assertProblem(unknown, 404, "not-found");
        assertThat(unknown.headers().firstValue("switchboard-epoch")).isPresent();
        assertProblem(api.info("-bad"), 400, "bad-topic");
    }

    @Test
    void theTopicListHasEveryPublishedTopicByNameWithoutReservedOnes() {
        String a = ApiClient.freshTopic("list-a");
        String b = ApiClient.freshTopic("list-b");
        api.publishJson(b, "1");
        api.publishJson(a, "1");
        api.publishJson(a, "2");

        HttpResponse<String> r = api.get("/v1/topics");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("switchboard-epoch")).isPresent();
        JsonNode topics = json(r).get("topics");
        assertThat(topics.findValuesAsText("topic")).contains(a, b).isSorted().noneMatch(t -> t.startsWith("_"));
        for (JsonNode t : topics) {
            if (t.get("topic").asText().equals(a)) {
                assertThat(t.get("first").asLong()).isEqualTo(1);
                assertThat(t.get("last").asLong()).isEqualTo(2);
                assertThat(t.get("count").asLong()).isEqualTo(2);
            }
        }
    }

    @Test
    void aReadBehindRetentionIsToldAboutTheGapInsteadOfSkippingSilently() {
        String topic = ApiClient.freshTopic("gap");
        api.publish(topic, "application/x-ndjson", "1\n".repeat(40));
        await().atMost(Duration.ofSeconds(5)).until(() -> json(api.info(topic)).get("first").asLong() == 36);

        JsonNode page = api.read(topic, "after=0");

        assertThat(page.get("gap").get("after").asLong()).isZero();
        assertThat(page.get("gap").get("first").asLong()).isEqualTo(36);
        assertThat(page.get("messages").get(0).get("offset").asLong()).isEqualTo(36);
        assertThat(page.get("next").asLong()).isEqualTo(40);
        assertThat(api.read(topic, "after=40").has("gap")).isFalse();
        assertThat(json(api.get(messages(topic) + "?after=38")).has("gap")).isFalse();
    }
}
