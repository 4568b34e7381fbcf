package dev.switchboard.cli;

import dev.switchboard.client.Job;
import dev.switchboard.client.JobListener;
import dev.switchboard.client.JobWatch;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.client.SwitchboardClientException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code switchboard job wait ID}: follows the job (a {@link JobWatch}), drawing its progress on stderr, until it
 * finishes or {@code --timeout}; prints its result and exits by how it ended ({@link JobCommand#WAIT_EXIT_CODES}).
 */
@Command(name = "wait",
        mixinStandardHelpOptions = true,
        description = {"Waits for job ID to finish, showing its progress on stderr ([#####.....] 50%% resizing), then prints "
                + "its result on stdout.", "Stopping the wait (timeout, Ctrl-C) leaves the job running."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the job succeeded (its result is on stdout)",
                "1:the server refused or could not be reached (detail on stderr)", "2:invalid arguments",
                "3:the job failed (its last error on stderr)", "4:the job was cancelled",
                "5:the wait timed out before the job finished (it goes on)"})
final class JobWaitCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions server;

    @Parameters(index = "0", paramLabel = "ID", description = "the job's id (from job submit)")
    String id;

    @Option(names = "--timeout", paramLabel = "D", defaultValue = "5m",
            description = "give up after this long, e.g. 30s, 10m (default: ${DEFAULT-VALUE})")
    String timeout;

    @Option(names = "--progress", paramLabel = "auto|bar|lines|none", defaultValue = "auto",
            description = "bar: one line redrawn in place; lines: a line per change; auto: bar on a terminal, "
                    + "else lines (default: ${DEFAULT-VALUE})")
    String progress;

    @Option(names = "--json", description = "print the finished job as JSON (the API's fields) instead of its result")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        return ClientOptions.run("job wait", err, () -> {
            Duration limit = JobCommand.duration("--timeout", timeout);
            JobProgressBar bar = new JobProgressBar(err, JobProgressBar.style(progress));
            try (SwitchboardClient client = server.client()) {
                client.job(id); // fail fast (exit 1) on an unknown job or no server at all; then the watch retries by itself
                Job job = follow(client, id, limit, bar);
                return JobCommand.report("job wait", job, limit, json, spec.commandLine().getOut(), err);
            }
        });
    }

    /**
     * Watches job {@code id}, drawing each change on {@code bar}, until it finishes or {@code limit} passes; answers
     * the job as it was last seen. A refusal (unknown job) is thrown.
     */
    static Job follow(SwitchboardClient client, String id, Duration limit, JobProgressBar bar) throws InterruptedException {
        CompletableFuture<Job> finished = new CompletableFuture<>();
        JobWatch watch = client.watchJob(id, new JobListener() {
            @Override
            public void onChange(Job job) {
                bar.show(job);
            }

            @Override
            public void onReconnecting(SwitchboardClientException cause, Duration delay) {
                bar.note("switchboard job: " + cause.detail() + "; asking again in " + delay.toMillis() + "ms");
            }

            @Override
            public void onEnd(Job last, Throwable cause) {
                if (cause != null) {
                    finished.completeExceptionally(cause);
                } else {
                    finished.complete(last);
                }
            }
        });
        try {
            return finished.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            watch.close();
            Job last = watch.last();
            return last != null ? last : client.job(id);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof SwitchboardClientException s ? s
                    : SwitchboardClientException.transport("following job " + id, e.getCause());
        } finally {
            watch.close();
            bar.finish();
        }
    }
}
