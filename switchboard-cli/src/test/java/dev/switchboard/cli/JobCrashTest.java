package dev.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jobs survive a SIGKILL of the server: every queued job still runs after the restart, every job
 * that was running is retried once its lease runs out, none is lost, and none completes twice. A
 * client that went away right after its 202 gets the result later, by id, on a new connection.
 */
class JobCrashTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int JOBS = 120;
    private static final int DONE_BEFORE = 20;
    private static final int RUNNING_AT_CRASH = 10;

    @TempDir
    Path data;

    @Test
    void queuedJobsRunRunningJobsAreRetriedAndNoneCompletesTwice() throws Exception {
        List<String> ids = new ArrayList<>();
        Set<String> doneBefore = new HashSet<>();
        Set<String> runningAtCrash = new HashSet<>();
        String survivor;
        try (ServerProcess server = ServerProcess.start(data)) {
            HttpClient http = HttpClient.newHttpClient();
            for (int i = 0; i < JOBS; i++) {
                ids.add(submit(http, server.url(), "{\"type\":\"crash\",\"payload\":" + i + ",\"max_attempts\":3}"));
            }
            // A client submits and disconnects at once: it comes back later on a new connection.
            survivor = submit(HttpClient.newHttpClient(), server.url(), "{\"type\":\"crash\",\"payload\":\"survivor\"}");
            for (int i = 0; i < DONE_BEFORE; i++) {
                JsonNode claim = claim(http, server.url());
                assertThat(complete(http, server.url(), claim, "before")).isEqualTo(200);
                doneBefore.add(claim.get("job").get("id").asText());
            }
            for (int i = 0; i < RUNNING_AT_CRASH; i++) {
                runningAtCrash.add(claim(http, server.url()).get("job").get("id").asText());
            }
            server.kill();
        }

        try (ServerProcess restarted = ServerProcess.start(data)) {
            HttpClient http = HttpClient.newHttpClient();
            Map<String, AtomicInteger> completions = new ConcurrentHashMap<>();
            Map<String, Integer> attempts = new ConcurrentHashMap<>();
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> workers = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                workers.add(Thread.ofVirtual().start(() -> {
                    while (!stop.get()) {
                        JsonNode claim = claimOrNull(http, restarted.url());
                        if (claim == null) {
                            continue;
                        }
                        String id = claim.get("job").get("id").asText();
                        attempts.put(id, claim.get("job").get("attempt").asInt());
                        if (complete(http, restarted.url(), claim, "after") == 200) {
                            completions.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                        }
                    }
                }));
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> completions.size() == JOBS + 1 - DONE_BEFORE);
            stop.set(true);
            for (Thread t : workers) {
                t.join(10_000);
            }

            assertThat(completions.values()).as("no job completed twice").allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
            assertThat(completions.keySet()).as("jobs finished before the crash never ran again").doesNotContainAnyElementsOf(doneBefore);
            for (String id : runningAtCrash) {
                assertThat(attempts.get(id)).as("job %s was running at the crash: retried as attempt 2", id).isEqualTo(2);
            }
            for (String id : ids) {
                JsonNode job = get(http, restarted.url(), "/v1/jobs/" + id);
                assertThat(job.get("status").asText()).as("job %s", id).isEqualTo("succeeded");
                assertThat(job.get("result").get("by").asText()).isEqualTo(doneBefore.contains(id) ? "before" : "after");
            }
            JsonNode later = get(HttpClient.newHttpClient(), restarted.url(), "/v1/jobs/" + survivor + "?wait=10s");
            assertThat(later.get("status").asText()).isEqualTo("succeeded");
        }
    }

    private static String submit(HttpClient http, String url, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/v1/jobs"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return JSON.readTree(r.body()).get("id").asText();
    }

    /** A claim with a short lease, so that jobs running at the crash come back soon after the restart. */
    private static JsonNode claim(HttpClient http, String url) throws Exception {
        JsonNode claim = claimOrNull(http, url);
        assertThat(claim).as("a job to claim").isNotNull();
        return claim;
    }

    private static JsonNode claimOrNull(HttpClient http, String url) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/v1/workers/claim?type=crash&wait=1s&lease=2s"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Completes with the result {@code {"by":by}}, so the record shows which run finished it. */
    private static int complete(HttpClient http, String url, JsonNode claim, String by) {
        String id = claim.get("job").get("id").asText();
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url + "/v1/jobs/" + id + "/complete"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"lease\":\"" + claim.get("lease").asText() + "\",\"result\":{\"by\":\"" + by + "\"}}")).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode get(HttpClient http, String url, String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }
}
