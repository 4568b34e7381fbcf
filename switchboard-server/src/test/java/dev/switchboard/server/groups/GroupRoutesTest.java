package dev.switchboard.server.groups;

import static dev.switchboard.server.http.ApiClient.assertProblem;
import static dev.switchboard.server.http.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.TestServer;
import dev.switchboard.server.http.ApiClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Consumer groups over HTTP with the JDK client against the embedded SQLite store. */
class GroupRoutesTest {
    private static TestServer server;
    private static ApiClient api;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("group-max-attempts", "2", "max-read", "500"));
        api = new ApiClient(server.url());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String group(String topic, String group) {
        return "/v1/topics/" + topic + "/groups/" + group;
    }

    private static JsonNode ok(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        return json(r);
    }

    private static List<Long> offsets(JsonNode fetched) {
        List<Long> offsets = new ArrayList<>();
        fetched.get("messages").forEach(m -> offsets.add(m.get("offset").asLong()));
        return offsets;
    }

    private static String settle(JsonNode fetched, long... offsets) {
        StringBuilder list = new StringBuilder();
        for (long o : offsets) {
            list.append(list.isEmpty() ? "" : ",").append(o);
        }
        return "{\"lease\":\"" + fetched.get("lease").asText() + "\",\"offsets\":[" + list + "]}";
    }

    @Test
    void fetchLeasesAckCommitsAndTheStateSaysSo() {
        String topic = ApiClient.freshTopic("g");
        for (int i = 0; i < 5; i++) {
            api.publishJson(topic, "{\"n\":" + i + "}");
        }

        JsonNode fetched = ok(api.postJson(group(topic, "billing") + "/fetch?max=3&lease=45s", null));

        assertThat(offsets(fetched)).containsExactly(1L, 2L, 3L);
        assertThat(fetched.get("lease_ms").asLong()).isEqualTo(45_000);
        JsonNode first = fetched.get("messages").get(0);
        assertThat(first.get("data").get("n").asInt()).isZero();
        assertThat(first.get("attempt").asInt()).isEqualTo(1);
        JsonNode acked = ok(api.postJson(group(topic, "billing") + "/ack", settle(fetched, 1, 2)));
        assertThat(acked.get("committed").asLong()).isEqualTo(2);
        assertThat(acked.get("in_flight").asLong()).isEqualTo(1);
        assertThat(acked.get("lag").asLong()).isEqualTo(3);
        JsonNode state = ok(api.get(group(topic, "billing")));
        assertThat(state.get("committed").asLong()).isEqualTo(2);
        assertThat(state.get("delivered").asLong()).isEqualTo(3);
        assertThat(state.get("oldest_unacked_time").asText()).isNotEmpty();
        JsonNode list = ok(api.get("/v1/topics/" + topic + "/groups"));
        assertThat(list.get("groups")).extracting(g -> g.get("group").asText()).containsExactly("billing");
    }

    @Test
    void aLongPollFetchIsAnsweredByThePublishDuringItsWait() throws Exception {
        String topic = ApiClient.freshTopic("g");
        CompletableFuture<HttpResponse<String>> waiting = api.postAsync(group(topic, "billing") + "/fetch?wait=20s");
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(10)).until(() -> !waiting.isDone());

        api.publishJson(topic, "{\"late\":true}");

        JsonNode fetched = ok(waiting.get(20, TimeUnit.SECONDS));
        assertThat(offsets(fetched)).containsExactly(1L);
    }

    @Test
    void aFetchWhoseWaitEndsAnswersWithNoMessages() {
        String topic = ApiClient.freshTopic("g");

        JsonNode fetched = ok(api.postJson(group(topic, "billing") + "/fetch?wait=200ms", null));

        assertThat(fetched.get("messages")).isEmpty();
    }

    @Test
    void nackRedeliversAndTheLastAttemptGoesToTheDeadLetterTopic() {
        String topic = ApiClient.freshTopic("g");
        api.publishJson(topic, "{\"poison\":true}");
        for (int attempt = 1; attempt <= 2; attempt++) {
            JsonNode fetched = ok(api.postJson(group(topic, "billing") + "/fetch", null));
            assertThat(fetched.get("messages").get(0).get("attempt").asInt()).isEqualTo(attempt);
            String nack = settle(fetched, 1).replace("}", ",\"reason\":\"cannot parse\",\"delay\":\"0s\"}");
            ok(api.postJson(group(topic, "billing") + "/nack", nack));
        }

        JsonNode after = ok(api.postJson(group(topic, "billing") + "/fetch", null));

        assertThat(after.get("messages")).isEmpty();
        JsonNode dead = api.read(topic + ".dlq", "after=0").get("messages");
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).get("data").get("poison").asBoolean()).isTrue();
        assertThat(dead.get(0).get("headers").get("sb-dlq-reason").asText()).isEqualTo("cannot parse");
        assertThat(dead.get(0).get("headers").get("sb-dlq-attempts").asText()).isEqualTo("2");
        assertThat(ok(api.get(group(topic, "billing"))).get("committed").asLong()).isEqualTo(1);
    }

    @Test
    void releaseHandsMessagesBackWithoutCountingAnAttempt() {
        String topic = ApiClient.freshTopic("g");
        api.publishJson(topic, "1");
        JsonNode fetched = ok(api.postJson(group(topic, "billing") + "/fetch", null));

        JsonNode released = ok(api.postJson(group(topic, "billing") + "/release", settle(fetched, 1)));

        assertThat(released.get("in_flight").asLong()).isZero();
        JsonNode again = ok(api.postJson(group(topic, "billing") + "/fetch", null));
        assertThat(again.get("messages").get(0).get("attempt").asInt()).isEqualTo(1);
        assertProblem(api.postJson(group(topic, "billing") + "/release", settle(fetched, 1)), 409, "lease-not-held");
    }

    @Test
    void resetRewindsTheGroup() {
        String topic = ApiClient.freshTopic("g");
        api.publishJson(topic, "1");
        api.publishJson(topic, "2");
        JsonNode fetched = ok(api.postJson(group(topic, "billing") + "/fetch", null));
        ok(api.postJson(group(topic, "billing") + "/ack", settle(fetched, 1, 2)));

        JsonNode reset = ok(api.postJson(group(topic, "billing") + "/reset", "{\"offset\":1}"));

        assertThat(reset.get("committed").asLong()).isEqualTo(1);
        assertThat(offsets(ok(api.postJson(group(topic, "billing") + "/fetch", null)))).containsExactly(2L);
        assertThat(ok(api.postJson(group(topic, "billing") + "/reset", "{\"to\":\"latest\"}")).get("committed").asLong()).isEqualTo(2);
        assertThat(ok(api.postJson(group(topic, "billing") + "/reset", "{\"time\":\"2000-01-01T00:00:00Z\"}")).get("committed").asLong())
                .isZero();
    }

    @Test
    void badInputGetsAProblemAndChangesNothing() {
        String topic = ApiClient.freshTopic("g");
        api.publishJson(topic, "1");
        JsonNode fetched = ok(api.postJson(group(topic, "billing") + "/fetch", null));
        String g = group(topic, "billing");

        assertProblem(api.postJson(group(topic, "bad%20name") + "/fetch", null), 400, "bad-group");
        assertProblem(api.postJson(g + "/fetch?max=100000000", null), 400, "bad-request");
        assertProblem(api.postJson(g + "/fetch?max=lots", null), 400, "bad-request");
        assertProblem(api.postJson(g + "/fetch?wait=1h", null), 400, "wait-too-long");
        assertProblem(api.postJson(g + "/fetch?lease=forever", null), 400, "bad-request");
        assertProblem(api.postJson(g + "/ack", "{\"lease\":\"not-mine\",\"offsets\":[1]}"), 409, "lease-not-held");
        assertProblem(api.postJson(g + "/ack", settle(fetched, 1, 99)), 409, "lease-not-held");
        assertProblem(api.postJson(g + "/ack", "{\"offsets\":[1]}"), 400, "bad-request");
        assertProblem(api.postJson(g + "/ack", "{\"lease\":\"x\",\"offsets\":[]}"), 400, "bad-request");
        assertProblem(api.postJson(g + "/ack", "{\"lease\":\"x\",\"offsets\":[-1]}"), 400, "bad-request");
        assertProblem(api.postJson(g + "/ack", "{nope"), 400, "malformed-json");
        assertProblem(api.postJson(g + "/nack", settle(fetched, 1).replace("}", ",\"delay\":\"soon\"}")), 400, "bad-request");
        assertProblem(api.postJson(g + "/reset", "{}"), 400, "bad-request");
        assertProblem(api.postJson(g + "/reset", "{\"offset\":-4}"), 400, "bad-request");
        assertProblem(api.postJson(group(topic, "stranger") + "/ack", settle(fetched, 1)), 404, "not-found");
        assertProblem(api.get(group(topic, "stranger")), 404, "not-found");
        assertProblem(api.get(g + "/fetch"), 405, "method-not-allowed");

        JsonNode state = ok(api.get(g));
        assertThat(state.get("committed").asLong()).as("nothing was acknowledged").isZero();
        assertThat(state.get("in_flight").asLong()).isEqualTo(1);
        assertThat(ok(api.postJson(g + "/ack", settle(fetched, 1))).get("committed").asLong()).isEqualTo(1);
    }

    @Test
    void groupCountersAndGaugesAreInMetrics() {
        String topic = ApiClient.freshTopic("gm");
        api.publishJson(topic, "1");
        JsonNode fetched = ok(api.postJson(group(topic, "billing") + "/fetch", null));
        ok(api.postJson(group(topic, "billing") + "/ack", settle(fetched, 1)));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            String metrics = api.get("/metrics").body();
            assertThat(metrics).contains("switchboard_group_acks_total");
            assertThat(metrics).contains("switchboard_group_committed{group=\"billing\",topic=\"" + topic + "\"} 1.0");
            assertThat(metrics).contains("switchboard_group_lag{group=\"billing\",topic=\"" + topic + "\"} 0.0");
        });
    }
}
