package dev.switchboard.server.jobs;

import static dev.switchboard.server.http.ApiClient.assertProblem;
import static dev.switchboard.server.http.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.jobs.Jobs;
import dev.switchboard.server.TestServer;
import dev.switchboard.server.http.ApiClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code POST /v1/jobs} with an NDJSON body over HTTP with the JDK client: a batch of jobs, one per line. */
class SubmitBatchRouteTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static TestServer server;
    private static ApiClient api;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of());
        api = new ApiClient(server.url());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> batch(String ndjson, String... headers) {
        return api.post("/v1/jobs", "application/x-ndjson", ndjson.getBytes(StandardCharsets.UTF_8), headers);
    }

    private static List<String> ids(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        List<String> ids = new ArrayList<>();
        json(r).get("jobs").forEach(j -> ids.add(j.get("id").asText()));
        return ids;
    }

    private static void assertNothingQueued(String type) {
        assertThat(api.postJson("/v1/workers/claim?type=" + type + "&max=100&wait=0s", null).statusCode()).as("a claim finds nothing")
                .isEqualTo(204);
    }

    @Test
    void aBatchAnswers202WithEveryJobInLineOrderAndWorkersRunThemAll() {
        String a = ApiClient.freshTopic("batch-a");
        String b = ApiClient.freshTopic("batch-b");
        Set<String> ran = ConcurrentHashMap.newKeySet();
        server.server().jobs().handle(a, 4, job -> {
            ran.add(job.job().id());
            return null;
        });
        server.server().jobs().handle(b, 4, job -> {
            ran.add(job.job().id());
            return null;
        });

        HttpResponse<String> r = batch("{\"type\":\"" + a + "\",\"payload\":1}\r\n\n  \n{\"type\":\"" + b + "\",\"max_attempts\":2}\r\n"
                + "{\"type\":\"" + a + "\",\"payload\":\"three\",\"timeout\":\"1m\"}\n", "Prefer", "wait=5");

        List<String> ids = ids(r);
        JsonNode jobs = json(r).get("jobs");
        assertThat(jobs).extracting(j -> j.get("type").asText()).containsExactly(a, b, a);
        assertThat(jobs).extracting(j -> j.get("status").asText()).containsOnly("queued");
        assertThat(jobs.get(1).get("max_attempts").asInt()).isEqualTo(2);
        assertThat(jobs.get(2).get("timeout_ms").asLong()).isEqualTo(60_000);
        assertThat(ids).doesNotHaveDuplicates();
        assertThat(r.headers().firstValue("Preference-Applied")).as("Prefer: wait is not applied to a batch").isEmpty();
        await().atMost(WAIT).untilAsserted(() -> assertThat(ids).allSatisfy(id ->
                assertThat(json(api.get("/v1/jobs/" + id)).get("status").asText()).isEqualTo("succeeded")));
        assertThat(ran).containsExactlyInAnyOrderElementsOf(ids);
    }

    @Test
    void eachLineCarriesItsOwnIdempotencyKey() {
        String type = ApiClient.freshTopic("keyed");

        List<String> first = ids(batch("{\"type\":\"" + type + "\",\"idempotency_key\":\"k1\"}\n{\"type\":\"" + type + "\",\"idempotency_key\":\"k1\"}\n"
                + "{\"type\":\"" + type + "\",\"idempotency_key\":\"k2\"}\n{\"type\":\"" + type + "\"}"));
        List<String> again = ids(batch("{\"type\":\"" + type + "\",\"idempotency_key\":\"k2\"}"));
        HttpResponse<String> single = api.post("/v1/jobs", "application/json", ("{\"type\":\"" + type + "\"}").getBytes(StandardCharsets.UTF_8),
                "Idempotency-Key", "k1");

        assertThat(first.get(1)).as("a key repeated in the batch").isEqualTo(first.get(0));
        assertThat(first.get(2)).isNotIn(first.get(0), first.get(3));
        assertThat(again).as("a key from an earlier batch").containsExactly(first.get(2));
        assertThat(json(single).get("id").asText()).as("the header and the field share one key space").isEqualTo(first.get(0));
        JsonNode claimed = json(api.postJson("/v1/workers/claim?type=" + type + "&max=100&wait=0s", null));
        assertThat(claimed.get("jobs")).as("one job per key, plus the unkeyed one").hasSize(3);
    }

    @Test
    void aRefusedBatchAnswersAProblemNamingItsLineAndStoresNothing() {
        String type = ApiClient.freshTopic("refused");
        String ok = "{\"type\":\"" + type + "\"}\n";

        JsonNode malformed = assertProblem(batch(ok + "\n{oops\n"), 400, "malformed-json");
        JsonNode invalid = assertProblem(batch(ok + "{\"type\":\"" + type + "\",\"max_attempts\":0}\n"), 400, "bad-request");
        JsonNode unknown = assertProblem(batch("{\"type\":\"" + type + "\",\"colour\":\"red\"}\n" + ok), 400, "bad-request");
        JsonNode twoValues = assertProblem(batch(ok + ok.strip() + " {}\n"), 400, "malformed-json");
        JsonNode notAnObject = assertProblem(batch(ok + "[1]\n"), 400, "bad-request");
        JsonNode badKey = assertProblem(batch(ok + "{\"type\":\"" + type + "\",\"idempotency_key\":7}\n"), 400, "bad-request");
        JsonNode empty = assertProblem(batch(" \r\n\n"), 400, "bad-request");
        JsonNode tooMany = assertProblem(batch(ok.repeat(Jobs.MAX_SUBMIT_BATCH + 1)), 400, "bad-request");
        JsonNode header = assertProblem(batch(ok, "Idempotency-Key", "k"), 400, "bad-request");
        JsonNode tooLarge = assertProblem(batch(("{\"type\":\"" + type + "\",\"payload\":\"" + "x".repeat(1024 * 1024) + "\"}\n").repeat(2)),
                413, "body-too-large");

        assertThat(malformed.get("detail").asText()).contains("line 3");
        assertThat(invalid.get("detail").asText()).contains("line 2", "max_attempts=0");
        assertThat(unknown.get("detail").asText()).contains("line 1", "colour");
        assertThat(twoValues.get("detail").asText()).contains("line 2");
        assertThat(notAnObject.get("detail").asText()).contains("line 2");
        assertThat(badKey.get("detail").asText()).contains("line 2", "idempotency_key");
        assertThat(empty.get("detail").asText()).contains("no jobs");
        assertThat(tooMany.get("detail").asText()).contains("1001", "1000");
        assertThat(header.get("detail").asText()).contains("idempotency_key");
        assertThat(tooLarge.get("detail").asText()).contains("max-body");
        assertNothingQueued(type);
        assertThat(ids(batch(ok.repeat(Jobs.MAX_SUBMIT_BATCH)))).as("the limit itself is fine").hasSize(Jobs.MAX_SUBMIT_BATCH);
    }
}
