package dev.switchboard.server.jobs;

import static dev.switchboard.server.http.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.TestServer;
import dev.switchboard.server.http.ApiClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Workers need no SDK: the Python worker in examples/ (standard library only) runs real jobs against a real server. */
class WorkerExampleTest {
    private static final Path WORKER = Path.of("..", "examples", "worker-python", "worker.py");
    private static TestServer server;
    private static ApiClient api;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("job-backoff", "50ms", "job-max-backoff", "100ms"));
        api = new ApiClient(server.url());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String submit(String body) {
        var r = api.post("/v1/jobs", "application/json", body.getBytes(StandardCharsets.UTF_8));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return json(r).get("id").asText();
    }

    @Test
    void thePythonWorkerCompletesJobsReportsProgressAndFailsWhatFailsUntilAttemptsRunOut() throws Exception {
        assertThat(WORKER).exists();
        String type = ApiClient.freshTopic("py");
        String steps = submit("{\"type\":\"" + type + "\",\"payload\":{\"text\":\"hello\",\"steps\":3}}");
        String quick = submit("{\"type\":\"" + type + "\",\"payload\":{\"text\":\"quick\",\"steps\":1}}");
        String doomed = submit("{\"type\":\"" + type + "\",\"payload\":{\"fail\":true},\"max_attempts\":2}");
        Path log = Files.createTempFile("worker", ".log");
        Process worker = new ProcessBuilder("python3", WORKER.toString(), "--url", server.url(), "--type", type, "--max-jobs", "4")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            assertThat(worker.waitFor(60, TimeUnit.SECONDS)).as("the worker ends after 4 claims").isTrue();
            assertThat(worker.exitValue()).as(Files.readString(log)).isZero();
        } finally {
            worker.destroyForcibly();
        }

        JsonNode hello = json(api.get("/v1/jobs/" + steps));
        assertThat(hello.get("status").asText()).isEqualTo("succeeded");
        assertThat(hello.get("result").get("text").asText()).isEqualTo("HELLO");
        assertThat(hello.get("result").get("worker").asText()).isEqualTo("python");
        assertThat(hello.get("progress").get("message").asText()).isEqualTo("step 3 of 3");
        assertThat(json(api.get("/v1/jobs/" + quick)).get("result").get("text").asText()).isEqualTo("QUICK");
        JsonNode failed = json(api.get("/v1/jobs/" + doomed));
        assertThat(failed.get("status").asText()).isEqualTo("failed");
        assertThat(failed.get("attempt").asInt()).isEqualTo(2);
        assertThat(failed.get("error").asText()).isEqualTo("asked to fail");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(api.read("_jobs%2F" + steps, "after=0").get("messages"))
                .as("queued, running, 3 progress reports, succeeded").hasSize(6));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(Files.readString(log)).contains(steps + " succeeded"));
    }
}
