package dev.switchboard.cli;

import dev.switchboard.client.Job;
import dev.switchboard.client.JobStatus;
import dev.switchboard.client.SwitchboardClient;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code switchboard job cancel ID}: a queued job is cancelled at once; a running one when its worker next reports
 * (heartbeat or progress). Says which; a job that already finished is left as it is.
 */
@Command(name = "cancel",
        mixinStandardHelpOptions = true,
        description = {"Cancels job ID: a queued job at once, a running one at its worker's next heartbeat or progress.",
                "A job that already finished is left as it is (exit 3)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:cancelled, or cancellation requested from its worker", "1:the server refused (e.g. 404: no such job) "
                + "or could not be reached (detail on stderr)", "2:invalid arguments", "3:the job had already finished"})
final class JobCancelCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions server;

    @Parameters(index = "0", paramLabel = "ID", description = "the job's id (from job submit)")
    String id;

    @Option(names = "--json", description = "print the job after the cancel as JSON, with the API's field names")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        return ClientOptions.run("job cancel", spec.commandLine().getErr(), () -> {
            try (SwitchboardClient client = server.client()) {
                Job job = client.cancelJob(id);
                if (json) {
                    out.println(JobCommand.json(job));
                } else if (job.status() == JobStatus.CANCELLED) {
                    out.println("job " + job.id() + " cancelled");
                } else if (!job.isFinished()) {
                    out.println("job " + job.id() + " is " + job.status().wire() + ": cancel requested; its worker stops at its next heartbeat or progress");
                } else {
                    out.println("job " + job.id() + " already " + job.status().wire() + ": nothing to cancel");
                }
                out.flush();
                return job.isFinished() && job.status() != JobStatus.CANCELLED ? 3 : 0;
            }
        });
    }
}
