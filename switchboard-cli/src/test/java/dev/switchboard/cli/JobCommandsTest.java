package dev.switchboard.cli;

import static dev.switchboard.cli.ClientCommandsTest.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.cli.ClientCommandsTest.Run;
import dev.switchboard.core.config.ConfigLoader;
import dev.switchboard.core.jobs.JobHandler.JobResult;
import dev.switchboard.server.SwitchboardServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** job submit, status, wait and cancel run in-process, as {@code main} would run them, against a real server with Java handlers. */
class JobCommandsTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final String NL = System.lineSeparator();
    static SwitchboardServer server;
    static volatile CountDownLatch resizing = new CountDownLatch(1);

    @BeforeAll
    static void start(@TempDir Path data) throws Exception {
        server = SwitchboardServer.start(ConfigLoader.load(Map.of("port", "0", "bind", "127.0.0.1", "data", data.toString(),
                "store", "memory", "job-backoff", "50ms", "job-max-backoff", "100ms"), Map.of()));
        server.jobs().handle("upper", 2, job -> new JobResult("text/plain; charset=utf-8",
                new String(job.payload(), StandardCharsets.UTF_8).toUpperCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8)));
        server.jobs().handle("resize", 1, job -> {
            job.progress(50, "resizing");
            resizing.await();
            return new JobResult("application/json", "{\"width\":640}".getBytes(StandardCharsets.UTF_8));
        });
        server.jobs().handle("boom", 1, job -> {
            throw new IllegalStateException("boom");
        });
    }

    @AfterAll
    static void stop() {
        server.shutdown();
    }

    private static String url() {
        return server.url();
    }

    private static JsonNode json(String text) {
        try {
            return ClientOptions.JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(text, e);
        }
    }

    private static String submit(String... args) {
        String[] all = new String[args.length + 4];
        all[0] = "job";
        all[1] = "submit";
        all[2] = "--url";
        all[3] = url();
        System.arraycopy(args, 0, all, 4, args.length);
        Run r = run(all);
        assertThat(r.exit()).as(r.err()).isZero();
        return r.out().strip();
    }

    /** A command running on another thread, whose stderr the test can read while it runs. */
    private record Running(CompletableFuture<Integer> exit, StringWriter out, StringWriter err) {
        static Running start(String... args) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            CommandLine cli = SwitchboardCommand.commandLine();
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(err, true));
            return new Running(CompletableFuture.supplyAsync(() -> cli.execute(args)), out, err);
        }

        int exitCode() throws Exception {
            return exit.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        }
    }

    @Test
    void submitPrintsTheIdAndStatusShowsTheJob() {
        String id = submit("--max-attempts", "2", "--timeout", "90s", "nobody-status", "{\"src\":\"/img/1.png\"}");

        Run table = run("job", "status", "--url", url(), id);
        Run asJson = run("job", "status", "--url", url(), "--json", id);

        assertThat(id).matches("[0-9a-f]{32}");
        assertThat(table.exit()).as(table.err()).isZero();
        assertThat(table.out()).containsPattern("id\\s+" + id).containsPattern("type\\s+nobody-status")
                .containsPattern("status\\s+queued").containsPattern("attempt\\s+0/2");
        JsonNode job = json(asJson.out());
        assertThat(job.path("id").asText()).isEqualTo(id);
        assertThat(job.path("status").asText()).isEqualTo("queued");
        assertThat(job.path("max_attempts").asInt()).isEqualTo(2);
        assertThat(job.path("timeout_ms").asLong()).isEqualTo(90_000);
    }

    @Test
    void submitWithWaitPrintsTheResult() {
        Run r = run("job", "submit", "--url", url(), "--wait", "15s", "upper", "hello");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("HELLO" + NL);
    }

    @Test
    void waitDrawsOneProgressLinePerChangeThenPrintsTheResult() throws Exception {
        resizing = new CountDownLatch(1);
        String id = submit("resize");

        Running wait = Running.start("job", "wait", "--url", url(), "--progress", "lines", id);
        await().atMost(PATIENCE).until(() -> wait.err().toString().contains("50% resizing"));
        resizing.countDown();

        assertThat(wait.exitCode()).as(wait.err().toString()).isZero();
        assertThat(wait.err().toString().lines()).contains("[#####.....] 50% resizing").last().isEqualTo("[#####.....] 50% succeeded");
        assertThat(json(wait.out().toString()).path("width").asInt()).isEqualTo(640);
    }

    @Test
    void aBarRedrawsItsLineInPlace() throws Exception {
        resizing = new CountDownLatch(1);
        String id = submit("resize");

        Running wait = Running.start("job", "wait", "--url", url(), "--progress", "bar", "--json", id);
        await().atMost(PATIENCE).until(() -> wait.err().toString().contains("50% resizing"));
        resizing.countDown();

        assertThat(wait.exitCode()).isZero();
        String err = wait.err().toString();
        assertThat(err).startsWith("\r[").contains("\r[#####.....] 50% resizing").endsWith(NL);
        assertThat(err.chars().filter(c -> c == '\n').count()).as("one line, redrawn").isEqualTo(1);
        assertThat(json(wait.out().toString()).path("status").asText()).isEqualTo("succeeded");
    }

    @Test
    void aFailedJobExitsThreeWithItsError() {
        String id = submit("--max-attempts", "2", "boom");

        Run r = run("job", "wait", "--url", url(), "--progress", "none", id);
        Run submitted = run("job", "submit", "--url", url(), "--max-attempts", "1", "--wait", "15s", "--progress", "none", "boom");

        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.err()).startsWith("switchboard job wait: job " + id + " failed after 2 of 2 attempts: ").endsWith("boom" + NL);
        assertThat(r.out()).isEmpty();
        assertThat(submitted.exit()).isEqualTo(3);
    }

    @Test
    void aCancelledJobExitsFourAndCancellingAFinishedOneExitsThree() {
        String queued = submit("nobody-cancel");
        String done = json(run("job", "submit", "--url", url(), "--wait", "15s", "--json", "upper", "x").out()).path("id").asText();

        Run cancel = run("job", "cancel", "--url", url(), queued);
        Run again = run("job", "cancel", "--url", url(), "--json", queued);
        Run wait = run("job", "wait", "--url", url(), queued);
        Run finished = run("job", "cancel", "--url", url(), done);

        assertThat(cancel.exit()).as(cancel.err()).isZero();
        assertThat(cancel.out()).isEqualTo("job " + queued + " cancelled" + NL);
        assertThat(json(again.out()).path("status").asText()).isEqualTo("cancelled");
        assertThat(wait.exit()).isEqualTo(4);
        assertThat(wait.err()).contains("was cancelled");
        assertThat(finished.exit()).isEqualTo(3);
        assertThat(finished.out()).contains("already succeeded");
    }

    @Test
    void cancellingARunningJobIsRequestedFromItsWorker() throws Exception {
        resizing = new CountDownLatch(1);
        String id = submit("resize");
        await().atMost(PATIENCE).until(() -> run("job", "status", "--url", url(), id).out().contains("resizing"));

        Run cancel = run("job", "cancel", "--url", url(), id);
        resizing.countDown();

        assertThat(cancel.exit()).isZero();
        assertThat(cancel.out()).contains("cancel requested");
        assertThat(run("job", "status", "--url", url(), id).out()).containsPattern("status\\s+running \\(cancel requested\\)|status\\s+succeeded");
    }

    @Test
    void aWaitThatTimesOutExitsFiveAndLeavesTheJobQueued() {
        String id = submit("nobody-timeout");

        Run r = run("job", "wait", "--url", url(), "--timeout", "300ms", "--progress", "lines", id);

        assertThat(r.exit()).isEqualTo(5);
        assertThat(r.err()).contains("[..........] 0% queued").contains("job " + id + " did not finish within 300ms (queued, attempt 0/3)");
        assertThat(run("job", "status", "--url", url(), id).out()).containsPattern("status\\s+queued");
    }

    @Test
    void theSameIdempotencyKeyGivesTheSameJob() {
        String first = submit("--idempotency-key", "k-1", "nobody-once", "1");
        String again = submit("--idempotency-key", "k-1", "nobody-once", "1");

        assertThat(again).isEqualTo(first);
    }

    @Test
    void submitJsonPrintsTheJobWithTheApisFields() {
        JsonNode job = json(submit("--json", "--run-at", "2100-01-01T00:00:00Z", "nobody-json"));

        assertThat(job.path("status").asText()).isEqualTo("queued");
        assertThat(job.path("run_at").asText()).isEqualTo("2100-01-01T00:00:00Z");
        assertThat(job.path("version").asLong()).isPositive();
    }

    @ParameterizedTest
    @ValueSource(strings = {"status", "wait", "cancel"})
    void anUnknownJobExitsOneWithTheProblem(String command) {
        Run r = run("job", command, "--url", url(), "0123456789abcdef0123456789abcdef");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).startsWith("switchboard job " + command + ": 404 not-found");
    }

    @Test
    void aWaitOnAnUnreachableServerExitsOneAtOnce() {
        Run r = run("job", "wait", "--url", "http://127.0.0.1:1", "0123456789abcdef0123456789abcdef");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).startsWith("switchboard job wait: ");
    }

    @Test
    void usageErrorsExitTwo() {
        String u = url();
        assertThat(run("job", "submit", "--url", u).exit()).as("no type").isEqualTo(2);
        assertThat(run("job", "submit", "--url", u, "--max-attempts", "0", "t").exit()).isEqualTo(2);
        assertThat(run("job", "submit", "--url", u, "--timeout", "soon", "t").exit()).isEqualTo(2);
        assertThat(run("job", "submit", "--url", u, "--run-at", "tomorrow", "t").exit()).isEqualTo(2);
        assertThat(run("job", "wait", "--url", u, "--timeout", "forever", "0123456789abcdef0123456789abcdef").exit()).isEqualTo(2);
        assertThat(run("job", "wait", "--url", u, "--progress", "fancy", "0123456789abcdef0123456789abcdef").exit()).isEqualTo(2);
        assertThat(run("job", "status", "--url", u).exit()).as("no id").isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"job", "job submit", "job status", "job wait", "job cancel"})
    void everyJobCommandHasHelpWithItsExitCodes(String command) {
        Run r = run((command + " --help").split(" "));

        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("Usage: switchboard " + command).contains("Exit codes");
        if (!command.equals("job")) {
            assertThat(r.out()).contains("--url");
        }
    }
}
