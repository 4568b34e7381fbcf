package dev.switchboard.server.jobs;

import static dev.switchboard.server.http.ApiClient.assertProblem;
import static dev.switchboard.server.http.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.jobs.JobHandler.JobResult;
import dev.switchboard.server.TestServer;
import dev.switchboard.server.http.ApiClient;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Async jobs over HTTP with the JDK client: submit, follow by every pattern, and work them as a remote worker would. */
class JobRoutesTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static TestServer server;
    private static ApiClient api;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("job-backoff", "50ms", "job-max-backoff", "100ms"));
        api = new ApiClient(server.url());
        server.server().jobs().handle("upper", 2, job -> new JobResult("text/plain; charset=utf-8",
                new String(job.payload(), StandardCharsets.UTF_8).toUpperCase().getBytes(StandardCharsets.UTF_8)));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String type(String prefix) {
        return ApiClient.freshTopic(prefix);
    }

    private static HttpResponse<String> submit(String body, String... headers) {
        return api.post("/v1/jobs", "application/json", body.getBytes(StandardCharsets.UTF_8), headers);
    }

    private static JsonNode accepted(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        JsonNode job = json(r);
        assertThat(r.headers().firstValue("location")).hasValue("/v1/jobs/" + job.get("id").asText());
        return job;
    }

    private static JsonNode ok(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r);
    }

    @Test
    void aRemoteWorkerClaimsReportsProgressAndCompletesWhileTheClientPolls() {
        String type = type("resize");
        JsonNode job = accepted(submit("{\"type\":\"" + type + "\",\"payload\":{\"w\":640},\"max_attempts\":2,\"timeout\":\"1m\"}"));
        String id = job.get("id").asText();
        assertThat(job.get("status").asText()).isEqualTo("queued");
        assertThat(job.get("max_attempts").asInt()).isEqualTo(2);

        JsonNode claim = ok(api.postJson("/v1/workers/claim?type=" + type + "&wait=5s&lease=30s", null));
        assertThat(claim.get("job").get("id").asText()).isEqualTo(id);
        assertThat(claim.get("job").get("payload").get("w").asInt()).isEqualTo(640);
        assertThat(claim.get("job").get("status").asText()).isEqualTo("running");
        String lease = claim.get("lease").asText();

        JsonNode progressed = ok(api.postJson("/v1/jobs/" + id + "/progress", "{\"lease\":\"" + lease + "\",\"percent\":40,\"message\":\"half\"}"));
        assertThat(progressed.get("progress").get("percent").asInt()).isEqualTo(40);
        assertThat(ok(api.get("/v1/jobs/" + id)).get("progress").get("message").asText()).isEqualTo("half");
        ok(api.postJson("/v1/jobs/" + id + "/heartbeat", "{\"lease\":\"" + lease + "\"}"));
        JsonNode done = ok(api.postJson("/v1/jobs/" + id + "/complete", "{\"lease\":\"" + lease + "\",\"result\":{\"url\":\"/img/1\"}}"));

        assertThat(done.get("status").asText()).isEqualTo("succeeded");
        JsonNode status = ok(api.get("/v1/jobs/" + id));
        assertThat(status.get("result").get("url").asText()).isEqualTo("/img/1");
        assertThat(status.has("payload")).as("status answers leave the payload out").isFalse();
        assertProblem(api.postJson("/v1/jobs/" + id + "/complete", "{\"lease\":\"" + lease + "\"}"), 409, "lease-not-held");
    }

    @Test
    void aBatchClaimAnswersUpToMaxJobsOldestFirstEachEndedWithItsLease() {
        String type = type("thumb");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(accepted(submit("{\"type\":\"" + type + "\",\"payload\":" + i + "}")).get("id").asText());
        }

        JsonNode two = ok(api.postJson("/v1/workers/claim?type=" + type + "&max=2&wait=5s", null));
        JsonNode rest = ok(api.postJson("/v1/workers/claim?type=" + type + "&max=10&wait=5s", null));

        assertThat(two.get("jobs")).hasSize(2);
        assertThat(two.get("jobs").get(0).get("job").get("id").asText()).isEqualTo(ids.get(0));
        assertThat(two.get("jobs").get(1).get("job").get("id").asText()).isEqualTo(ids.get(1));
        assertThat(rest.get("jobs")).as("max is an upper bound: what is due comes").hasSize(1);
        assertThat(rest.get("jobs").get(0).get("job").get("payload").asInt()).isEqualTo(2);
        for (JsonNode claim : List.of(two.get("jobs").get(0), two.get("jobs").get(1), rest.get("jobs").get(0))) {
            String id = claim.get("job").get("id").asText();
            assertThat(claim.get("job").get("status").asText()).isEqualTo("running");
            ok(api.postJson("/v1/jobs/" + id + "/complete", "{\"lease\":\"" + claim.get("lease").asText() + "\"}"));
            assertThat(ok(api.get("/v1/jobs/" + id)).get("status").asText()).isEqualTo("succeeded");
        }
        HttpResponse<String> none = api.postJson("/v1/workers/claim?type=" + type + "&max=10&wait=100ms", null);
        assertThat(none.statusCode()).as("nothing left: the same 204 as a single claim").isEqualTo(204);
    }

    @Test
    void theSameIdempotencyKeyReturnsTheSameJob() {
        String type = type("once");
        String a = accepted(submit("{\"type\":\"" + type + "\"}", "Idempotency-Key", "k-1")).get("id").asText();
        String b = accepted(submit("{\"type\":\"" + type + "\"}", "Idempotency-Key", "k-1")).get("id").asText();

        assertThat(b).isEqualTo(a);
    }

    @Test
    void preferWaitAnswersWithTheResultWhenTheJobEndsInTimeAndFallsBackTo202() {
        HttpResponse<String> fast = submit("{\"type\":\"upper\",\"payload\":\"hello\"}", "Prefer", "wait=10");

        JsonNode done = ok(fast);
        assertThat(done.get("status").asText()).isEqualTo("succeeded");
        assertThat(done.get("result").asText()).isEqualTo("HELLO");
        assertThat(fast.headers().firstValue("preference-applied")).hasValue("wait=10");

        HttpResponse<String> slow = submit("{\"type\":\"" + type("nobody") + "\"}", "Prefer", "respond-async, wait=1");
        assertThat(accepted(slow).get("status").asText()).isEqualTo("queued");
        assertThat(slow.headers().firstValue("preference-applied")).hasValue("wait=1");
    }

    @Test
    void aLongPollOnStatusReturnsAtTheNextChange() throws Exception {
        String type = type("lp");
        JsonNode job = accepted(submit("{\"type\":\"" + type + "\"}"));
        String id = job.get("id").asText();
        CompletableFuture<HttpResponse<String>> waiting = api.getAsync("/v1/jobs/" + id + "?wait=20s&version=" + job.get("version").asLong());
        await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> !waiting.isDone());

        ok(api.postJson("/v1/workers/claim?type=" + type, null));

        JsonNode changed = ok(waiting.get(20, TimeUnit.SECONDS));
        assertThat(changed.get("status").asText()).isEqualTo("running");
    }

    @Test
    void theJobsEventsStreamOverSseAndResumeFromLastEventId() throws Exception {
        JsonNode job = ok(submit("{\"type\":\"upper\",\"payload\":\"sse\"}", "Prefer", "wait=10"));
        String id = job.get("id").asText();

        List<String> events = sse("/v1/jobs/" + id + "/events", null, 3);

        assertThat(events).hasSize(3);
        assertThat(events.get(0)).contains("\"status\":\"queued\"");
        assertThat(events.get(1)).contains("\"status\":\"running\"");
        assertThat(events.get(2)).contains("\"status\":\"succeeded\"").contains("\"result\":\"SSE\"");
        List<String> resumed = sse("/v1/jobs/" + id + "/events", "2", 1);
        assertThat(resumed).singleElement().satisfies(e -> assertThat(e).contains("succeeded"));
        assertProblem(api.get("/v1/jobs/" + "0".repeat(32) + "/events"), 404, "not-found");
    }

    @Test
    void aClaimWithNothingToDoAnswers204WhenTheWaitEnds() {
        HttpResponse<String> r = api.postJson("/v1/workers/claim?type=" + type("idle") + "&wait=200ms", null);

        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(r.body()).isEmpty();
    }

    @Test
    void aWorkerThatHangsUpDuringItsClaimTakesNothing() throws Exception {
        String type = type("gone");
        double before = openConnections();
        try (java.net.Socket worker = new java.net.Socket("127.0.0.1", server.port())) {
            worker.getOutputStream().write(("POST /v1/workers/claim?type=" + type + "&wait=20s HTTP/1.1\r\nHost: x\r\n"
                    + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            worker.getOutputStream().flush();
            await().atMost(WAIT).until(() -> openConnections() > before);
        } // hangs up while its claim waits
        await().atMost(WAIT).until(() -> openConnections() == before); // the server saw it go
        String id = accepted(submit("{\"type\":\"" + type + "\",\"max_attempts\":1}")).get("id").asText();

        JsonNode claim = ok(api.postJson("/v1/workers/claim?type=" + type + "&wait=10s", null));

        assertThat(claim.get("job").get("id").asText()).isEqualTo(id);
        assertThat(claim.get("job").get("attempt").asInt()).as("the hung-up claim spent no attempt").isEqualTo(1);
        assertThat(claim.get("job").has("error")).isFalse();
        assertThat(claim.get("job").get("run_at").asText()).as("due when submitted").doesNotStartWith("1970");
    }

    @Test
    void cancellingARunningJobReachesTheWorkerAtItsNextHeartbeat() {
        String type = type("cancel");
        String id = accepted(submit("{\"type\":\"" + type + "\"}")).get("id").asText();
        String lease = ok(api.postJson("/v1/workers/claim?type=" + type, null)).get("lease").asText();

        JsonNode asked = ok(api.postJson("/v1/jobs/" + id + "/cancel", null));
        assertThat(asked.get("status").asText()).isEqualTo("running");
        assertThat(asked.get("cancel_requested").asBoolean()).isTrue();

        JsonNode told = ok(api.postJson("/v1/jobs/" + id + "/heartbeat", "{\"lease\":\"" + lease + "\"}"));
        assertThat(told.get("status").asText()).isEqualTo("cancelled");
    }

    @Test
    void aFailureIsRetriedAfterABackoffThenFails() {
        String type = type("retry");
        String id = accepted(submit("{\"type\":\"" + type + "\",\"max_attempts\":2}")).get("id").asText();
        String first = ok(api.postJson("/v1/workers/claim?type=" + type, null)).get("lease").asText();
        JsonNode retried = ok(api.postJson("/v1/jobs/" + id + "/fail", "{\"lease\":\"" + first + "\",\"error\":\"disk full\"}"));
        assertThat(retried.get("status").asText()).isEqualTo("queued");

        JsonNode second = ok(api.postJson("/v1/workers/claim?type=" + type + "&wait=10s", null));
        assertThat(second.get("job").get("attempt").asInt()).isEqualTo(2);
        assertThat(second.get("job").get("error").asText()).isEqualTo("disk full");
        JsonNode failed = ok(api.postJson("/v1/jobs/" + id + "/fail", "{\"lease\":\"" + second.get("lease").asText() + "\",\"error\":\"still\"}"));

        assertThat(failed.get("status").asText()).isEqualTo("failed");
    }

    @Test
    void aWebSocketCanFollowAJobsTopic() throws Exception {
        String type = type("wsjob");
        String id = accepted(submit("{\"type\":\"" + type + "\"}")).get("id").asText();
        List<String> frames = new CopyOnWriteArrayList<>();
        var ws = HTTP.newWebSocketBuilder().buildAsync(URI.create(server.url().replace("http", "ws") + "/v1/ws"),
                new java.net.http.WebSocket.Listener() {
                    @Override
                    public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket w, CharSequence data, boolean last) {
                        frames.add(data.toString());
                        w.request(1);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        ws.sendText("{\"op\":\"subscribe\",\"topic\":\"_jobs/" + id + "\",\"after\":0}", true);

        await().atMost(WAIT).until(() -> frames.stream().anyMatch(f -> f.contains("\"status\":\"queued\"")));
        ok(api.postJson("/v1/workers/claim?type=" + type, null));
        await().atMost(WAIT).until(() -> frames.stream().anyMatch(f -> f.contains("\"status\":\"running\"")));
        ws.sendText("{\"op\":\"publish\",\"topic\":\"_jobs/" + id + "\",\"data\":\"forged\",\"id\":9}", true);
        await().atMost(WAIT).until(() -> frames.stream().anyMatch(f -> f.contains("\"type\":\"error\"") && f.contains("reserved")));
        ws.abort();
    }

    @Test
    void badInputGetsAProblemAndChangesNothing() {
        assertProblem(submit("{\"payload\":1}"), 400, "bad-request");
        assertProblem(submit("{\"type\":\"a b\"}"), 400, "bad-request");
        assertProblem(submit("{\"type\":\"t\",\"colour\":\"red\"}"), 400, "bad-request");
        assertProblem(submit("{\"type\":\"t\",\"max_attempts\":0}"), 400, "bad-request");
        assertProblem(submit("{\"type\":\"t\",\"timeout\":\"forever\"}"), 400, "bad-request");
        assertProblem(submit("{\"type\":\"t\",\"timeout\":\"100d\"}"), 400, "bad-request");
        assertProblem(submit("{\"type\":\"t\",\"run_at\":\"tomorrow\"}"), 400, "bad-request");
        assertProblem(submit("[1]"), 400, "bad-request");
        assertProblem(submit("{oops"), 400, "malformed-json");
        assertProblem(api.get("/v1/jobs/nope"), 404, "not-found");
        assertProblem(api.get("/v1/jobs/" + "0".repeat(32)), 404, "not-found");
        assertProblem(api.get("/v1/jobs/" + "0".repeat(32) + "/sideways"), 404, "not-found");
        assertProblem(api.get("/v1/jobs/" + "0".repeat(32) + "?wait=1y"), 400, "bad-request");
        assertProblem(api.postJson("/v1/workers/claim?type=t&wait=2h", null), 400, "wait-too-long");
        assertProblem(api.postJson("/v1/workers/claim", null), 400, "bad-request");
        assertProblem(api.get("/v1/workers/claim?type=t"), 405, "method-not-allowed");
        String type = type("bad");
        String id = accepted(submit("{\"type\":\"" + type + "\"}")).get("id").asText();
        assertProblem(api.postJson("/v1/workers/claim?type=" + type + "&max=0", null), 400, "bad-request");
        assertProblem(api.postJson("/v1/workers/claim?type=" + type + "&max=101", null), 400, "bad-request");
        assertProblem(api.postJson("/v1/workers/claim?type=" + type + "&max=some", null), 400, "bad-request");
        assertProblem(api.postJson("/v1/jobs/" + id + "/heartbeat", "{}"), 400, "bad-request");
        assertProblem(api.postJson("/v1/jobs/" + id + "/heartbeat", "{\"lease\":\"forged\"}"), 409, "lease-not-held");
        assertProblem(api.postJson("/v1/jobs/" + id + "/progress", "{\"lease\":\"forged\",\"percent\":\"lots\"}"), 400, "bad-request");
        assertProblem(api.postJson("/v1/jobs/" + id + "/fail", "{\"lease\":\"forged\",\"retry\":\"maybe\"}"), 400, "bad-request");

        JsonNode unchanged = ok(api.get("/v1/jobs/" + id));
        assertThat(unchanged.get("status").asText()).isEqualTo("queued");
        assertThat(unchanged.get("version").asLong()).isEqualTo(1);
    }

    @Test
    void jobCountsAndTimingsAreInMetrics() {
        ok(submit("{\"type\":\"upper\",\"payload\":\"m\"}", "Prefer", "wait=10"));

        await().atMost(WAIT).untilAsserted(() -> {
            String metrics = api.get("/metrics").body();
            assertThat(metrics).contains("switchboard_jobs_submitted_total{type=\"upper\"}");
            assertThat(metrics).contains("switchboard_jobs_claim_latency_seconds_count{type=\"upper\"}");
            assertThat(metrics).contains("switchboard_jobs_run_seconds_count{status=\"succeeded\",type=\"upper\"}");
            assertThat(metrics).containsPattern("switchboard_jobs\\{status=\"succeeded\",type=\"upper\"} [1-9]");
        });
    }

    /** The server's open connections, asked over the test's own kept-alive connection so that asking does not change the count. */
    private static double openConnections() {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^switchboard_connections_open(?:\\{[^}]*})? (\\S+)$")
                .matcher(api.get("/metrics").body());
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }

    /** Reads {@code count} SSE data lines from {@code path}, resuming after {@code lastEventId} when given. */
    private static List<String> sse(String path, String lastEventId, int count) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path)).header("Accept", "text/event-stream");
        if (lastEventId != null) {
            b.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<InputStream> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        List<String> data = new CopyOnWriteArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            for (String line; data.size() < count && (line = in.readLine()) != null; ) {
                if (line.startsWith("data: ")) {
                    data.add(line.substring(6));
                }
            }
        }
        return data;
    }
}
