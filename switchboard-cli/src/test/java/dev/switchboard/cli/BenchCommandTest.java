package dev.switchboard.cli;

import static dev.switchboard.cli.ClientCommandsTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.cli.ClientCommandsTest.Run;
import dev.switchboard.core.config.ConfigLoader;
import dev.switchboard.server.SwitchboardServer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code switchboard bench}: short, slow runs that must measure what they say, and clear refusals. */
class BenchCommandTest {
    private static SwitchboardServer server;

    @BeforeAll
    static void start(@TempDir Path data) throws Exception {
        server = SwitchboardServer.start(ConfigLoader.load(Map.of("port", "0", "data", data.toString()), Map.of()));
    }

    @AfterAll
    static void stop() {
        server.shutdown();
    }

    @Test
    void benchGroupsPrintsOneJsonLineWithWhatWasAcknowledged() throws Exception {
        Run r = run("bench", "groups", "--url", server.url(), "--seconds", "1", "--warmup", "1", "--rate", "300",
                "--batch", "10", "--max-in-flight", "50", "--json");

        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode result = ClientOptions.JSON.readTree(r.out());
        assertThat(result.get("via").asText()).isEqualTo("ws");
        assertThat(result.get("acked_per_s").asDouble()).isGreaterThan(100);
        assertThat(result.get("p99_ms").asDouble()).isPositive();
    }

    @Test
    void benchJobsInProcessRunsItsOwnServerAndPrintsATable() {
        Run r = run("bench", "jobs", "--mode", "in-process", "--seconds", "1", "--warmup", "1", "--rate", "100", "--submitters", "2",
                "--workers", "2");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("jobs in-process").contains("completed").contains("\"scenario\":\"jobs\"");
    }

    @Test
    void benchJobsRemoteWorkersClaimSeveralJobsPerRequest() throws Exception {
        Run r = run("bench", "jobs", "--mode", "remote", "--url", server.url(), "--seconds", "1", "--warmup", "1", "--rate", "200",
                "--submitters", "2", "--workers", "2", "--claim-max", "8", "--json");

        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode result = ClientOptions.JSON.readTree(r.out());
        assertThat(result.get("claim_max").asInt()).isEqualTo(8);
        assertThat(result.get("completed_per_s").asDouble()).as("jobs completed through batch claims").isGreaterThan(50);
        assertThat(run("bench", "jobs", "--mode", "remote", "--url", server.url(), "--claim-max", "101").exit()).isEqualTo(2);
    }

    @Test
    void benchJobsSubmitsBatchesOverHttpAndThroughTheJavaApi() throws Exception {
        for (String mode : new String[] {"remote", "embedded"}) {
            Run r = run("bench", "jobs", "--mode", mode, "--url", server.url(), "--seconds", "1", "--warmup", "1", "--rate", "400",
                    "--submitters", "2", "--workers", "2", "--batch", "20", "--json");

            assertThat(r.exit()).as(mode + ": " + r.err()).isZero();
            JsonNode result = ClientOptions.JSON.readTree(r.out());
            assertThat(result.get("batch").asInt()).isEqualTo(20);
            assertThat(result.get("submitted_per_s").asDouble()).as(mode + ": jobs submitted in batches").isGreaterThan(100);
            assertThat(result.get("completed_per_s").asDouble()).as(mode).isGreaterThan(100);
        }
        assertThat(run("bench", "jobs", "--mode", "remote", "--url", server.url(), "--batch", "1001").exit()).isEqualTo(2);
        assertThat(run("bench", "jobs", "--mode", "remote", "--url", server.url(), "--batch", "0").exit()).isEqualTo(2);
    }

    @Test
    void benchPoolComparesPooledWithNewConnectionsOnTheRealPostgres() throws Exception {
        Run r = run("bench", "pool", "--postgres-url", "postgresql://postgres@127.0.0.1:5432/test", "--seconds", "1", "--threads", "4",
                "--json");

        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode result = ClientOptions.JSON.readTree(r.out());
        assertThat(result.get("pooled_ops_per_s").asDouble()).isPositive();
        assertThat(result.get("new_connection_ops_per_s").asDouble()).isPositive();
        assertThat(result.get("ratio").asDouble()).as("the ratio of the two rates (printed rounded)").isCloseTo(
                result.get("pooled_ops_per_s").asDouble() / result.get("new_connection_ops_per_s").asDouble(),
                org.assertj.core.data.Percentage.withPercentage(2));
    }

    @Test
    void benchPatternsWritesItsJsonAndTheReportAndPrintsOneJsonLine(@TempDir Path out) throws Exception {
        Run r = run("bench", "patterns", "--url", server.url(), "--subscribers", "3", "--rate", "50", "--patterns", "sse,long-poll",
                "--warmup", "0", "--seconds", "1", "--out", out.toString(), "--json");

        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode result = ClientOptions.JSON.readTree(r.out());
        assertThat(result.get("scenario").asText()).isEqualTo("patterns");
        assertThat(result.get("rows")).extracting(row -> row.get("pattern").asText()).containsExactly("sse", "long-poll");
        assertThat(result.get("rows").get(0).has("server_cpu_pct")).as("no --server-pid: no CPU figure").isFalse();
        try (var files = java.nio.file.Files.list(out)) {
            assertThat(files.map(f -> f.getFileName().toString())).anyMatch(f -> f.matches("patterns-\\d{8}T\\d{6}Z\\.json"))
                    .contains("report.html");
        }
    }

    @Test
    void benchReportBuildsOneHtmlFileFromAFolderOfResults(@TempDir Path out) throws Exception {
        run("bench", "ceiling", "--subscribers", "5", "--transports", "sse", "--warmup", "0", "--seconds", "1", "--out", out.toString());
        Path html = out.resolve("elsewhere.html");

        Run r = run("bench", "report", "--in", out.toString(), "--out", html.toString());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("1 scenarios");
        assertThat(java.nio.file.Files.readString(html)).contains("<svg class=\"chart\"").contains("id=\"ceiling\"");
    }

    @Test
    void aScenarioWithAnUnknownTransportIsExitCode2() {
        Run r = run("bench", "fanout", "--url", server.url(), "--transports", "smoke-signals", "--subscribers", "1");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("unknown transport 'smoke-signals'");
    }

    @Test
    void anUnknownModeIsExitCode2WithTheReason() {
        Run r = run("bench", "groups", "--via", "carrier-pigeon", "--seconds", "1", "--warmup", "0");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("via must be ws or long-poll");
    }
}
