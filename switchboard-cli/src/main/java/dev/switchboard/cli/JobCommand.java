package dev.switchboard.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.client.Job;
import dev.switchboard.core.config.Durations;
import java.io.PrintWriter;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code switchboard job submit|status|wait|cancel}: async jobs from the shell. The exit codes of a job's end are
 * shared by {@code job wait} and {@code job submit --wait}, so a script can branch on how the job ended.
 */
@Command(name = "job",
        mixinStandardHelpOptions = true,
        description = {"Async jobs: submit one, see its status, wait for its result, cancel it.",
                "Each subcommand has --help."},
        subcommands = {JobSubmitCommand.class, JobStatusCommand.class, JobWaitCommand.class, JobCancelCommand.class},
        exitCodeListHeading = "%nExit codes (job wait, job submit --wait):%n",
        exitCodeList = {"0:the job succeeded (its result on stdout)", "1:the server refused or could not be reached (detail on stderr)",
                "2:invalid arguments", "3:the job failed (its last error on stderr)", "4:the job was cancelled",
                "5:the wait timed out before the job finished (it goes on)"})
final class JobCommand implements Runnable {
    /** How a job ended, as an exit code (0 and 1, 2 keep their meaning in every client command). */
    static final int SUCCEEDED = 0;
    static final int FAILED = 3;
    static final int CANCELLED = 4;
    static final int TIMED_OUT = 5;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static Duration duration(String option, String value) {
        try {
            return Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + " must be a duration such as 250ms, 30s or 5m, got '" + value + "'");
        }
    }

    /** The exit code of a job that finished, or {@link #TIMED_OUT} for one that did not. */
    static int exitCode(Job job) {
        return switch (job.status()) {
            case SUCCEEDED -> SUCCEEDED;
            case FAILED -> FAILED;
            case CANCELLED -> CANCELLED;
            case QUEUED, RUNNING -> TIMED_OUT;
        };
    }

    /**
     * Prints how a waited-for job ended: the result on stdout (or the job as JSON with {@code json}), and on stderr
     * why it did not succeed. Answers the exit code.
     */
    static int report(String command, Job job, Duration waited, boolean json, PrintWriter out, PrintWriter err) {
        if (json) {
            out.println(json(job));
        } else if (job.result() != null) {
            out.println(job.resultText());
        }
        out.flush();
        String prefix = "switchboard " + command + ": job " + job.id();
        switch (job.status()) {
            case FAILED -> err.println(prefix + " failed after " + job.attempt() + " of " + job.maxAttempts() + " attempts: " + job.error());
            case CANCELLED -> err.println(prefix + " was cancelled");
            case QUEUED, RUNNING -> err.println(prefix + " did not finish within " + Durations.format(waited) + " (" + summary(job) + ")");
            case SUCCEEDED -> { }
        }
        err.flush();
        return exitCode(job);
    }

    /** {@code running, attempt 1/3, 50% resizing}: one line about where the job stands. */
    static String summary(Job job) {
        StringBuilder s = new StringBuilder(job.status().wire()).append(", attempt ").append(job.attempt()).append('/').append(job.maxAttempts());
        if (job.progress() != null) {
            s.append(", ").append(job.progress().percent()).append('%');
            if (job.progress().message() != null) {
                s.append(' ').append(job.progress().message());
            }
        }
        return s.toString();
    }

    /** The job with the API's field names (docs/api/jobs.md), as {@code --json} prints it. */
    static ObjectNode json(Job j) {
        ObjectNode o = ClientOptions.JSON.createObjectNode().put("id", j.id()).put("type", j.type()).put("status", j.status().wire())
                .put("attempt", j.attempt()).put("max_attempts", j.maxAttempts()).put("timeout_ms", j.timeout().toMillis());
        putTime(o, "run_at", j.runAt());
        putTime(o, "created", j.created());
        putTime(o, "updated", j.updated());
        putTime(o, "started", j.started());
        if (j.progress() != null) {
            ObjectNode p = o.putObject("progress").put("percent", j.progress().percent());
            if (j.progress().message() != null) {
                p.put("message", j.progress().message());
            }
        }
        if (j.result() != null) {
            o.set("result", j.result());
            if (j.resultEncoding() != null) {
                o.put("result_encoding", j.resultEncoding());
            }
            if (j.resultContentType() != null) {
                o.put("result_content_type", j.resultContentType());
            }
        }
        if (j.error() != null) {
            o.put("error", j.error());
        }
        return o.put("cancel_requested", j.cancelRequested()).put("version", j.version());
    }

    private static void putTime(ObjectNode o, String field, java.time.Instant t) {
        if (t != null) {
            o.put(field, t.toString());
        }
    }
}
