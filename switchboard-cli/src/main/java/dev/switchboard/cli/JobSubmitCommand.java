package dev.switchboard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.switchboard.client.Job;
import dev.switchboard.client.SubmitOptions;
import dev.switchboard.client.SwitchboardClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code switchboard job submit TYPE [PAYLOAD]}: prints the new job's id (so {@code ID=$(switchboard job submit …)}
 * works); with {@code --wait} waits for it as {@code job wait} does, asking the server to answer the submit itself
 * once the job finished ({@code Prefer: wait}).
 */
@Command(name = "submit",
        mixinStandardHelpOptions = true,
        description = {"Submits a job of TYPE with PAYLOAD (JSON when it parses as one value, else text) and prints its id.",
                "With --wait, waits for it like 'job wait' and exits by how it ended."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:submitted (with --wait: the job succeeded, its result on stdout)",
                "1:the server refused or could not be reached (detail on stderr)", "2:invalid arguments",
                "3:with --wait: the job failed (its last error on stderr)", "4:with --wait: the job was cancelled",
                "5:with --wait: the wait timed out before the job finished (it goes on)"})
final class JobSubmitCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions server;

    @Parameters(index = "0", paramLabel = "TYPE", description = "the job's type, which workers claim by")
    String type;

    @Parameters(index = "1", arity = "0..1", paramLabel = "PAYLOAD", description = "the job's input (default: none)")
    String payload;

    @Option(names = "--max-attempts", paramLabel = "N", description = "attempts before it fails for good (default: the server's job-attempts)")
    Integer maxAttempts;

    @Option(names = "--timeout", paramLabel = "D", description = "run time of one attempt, e.g. 2m (default: the server's job-timeout)")
    String timeout;

    @Option(names = "--run-at", paramLabel = "ISO", description = "not before this instant, e.g. 2026-11-28T08:00:00Z")
    String runAt;

    @Option(names = "--idempotency-key", paramLabel = "K", description = "submitting again with the same key returns the first job")
    String idempotencyKey;

    @Option(names = "--wait", paramLabel = "D", description = "wait up to this long for the job to finish, e.g. 30s")
    String waitFor;

    @Option(names = "--progress", paramLabel = "auto|bar|lines|none", defaultValue = "auto",
            description = "with --wait: how progress is drawn on stderr (see job wait --help) (default: ${DEFAULT-VALUE})")
    String progress;

    @Option(names = "--json", description = "print the job as JSON (the API's fields) instead of its id (with --wait: its result)")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        return ClientOptions.run("job submit", err, () -> {
            SubmitOptions options = options();
            Duration wait = waitFor == null ? null : JobCommand.duration("--wait", waitFor);
            JobProgressBar bar = new JobProgressBar(err, JobProgressBar.style(progress));
            try (SwitchboardClient client = server.client()) {
                long start = System.nanoTime();
                Job job = client.submit(type, payload(), wait == null ? options : options.preferWait(wait));
                if (wait == null) {
                    out.println(json ? JobCommand.json(job) : job.id());
                    out.flush();
                    return 0;
                }
                if (!job.isFinished()) {
                    Duration left = wait.minusNanos(System.nanoTime() - start);
                    job = JobWaitCommand.follow(client, job.id(), left.isNegative() ? Duration.ZERO : left, bar);
                }
                return JobCommand.report("job submit", job, wait, json, out, err);
            }
        });
    }

    private SubmitOptions options() {
        SubmitOptions o = SubmitOptions.defaults();
        if (maxAttempts != null) {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("--max-attempts must be at least 1, got " + maxAttempts);
            }
            o = o.maxAttempts(maxAttempts);
        }
        if (timeout != null) {
            o = o.timeout(JobCommand.duration("--timeout", timeout));
        }
        if (runAt != null) {
            try {
                o = o.runAt(Instant.parse(runAt));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("--run-at must be an ISO-8601 instant such as 2026-11-28T08:00:00Z, got '" + runAt + "'");
            }
        }
        return idempotencyKey == null ? o : o.idempotencyKey(idempotencyKey);
    }

    /** One JSON value as JSON; anything else as text (as {@code publish} decides). */
    private JsonNode payload() {
        if (payload == null) {
            return null;
        }
        try {
            return ClientOptions.JSON.readTree(payload);
        } catch (IOException e) {
            return TextNode.valueOf(payload);
        }
    }
}
