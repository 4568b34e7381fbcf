package dev.switchboard.cli;

import dev.switchboard.client.Job;
import dev.switchboard.client.SwitchboardClient;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code switchboard job status ID}: where the job stands, one field per line (or its JSON). */
@Command(name = "status",
        mixinStandardHelpOptions = true,
        description = "Shows job ID: type, status, attempt, progress, result or error.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:shown (whatever the job's status)", "1:the server refused (e.g. 404: no such job) or could not be reached (detail on stderr)",
                "2:invalid arguments"})
final class JobStatusCommand implements Callable<Integer> {
    private static final String ROW = "%-9s %s%n";

    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions server;

    @Parameters(index = "0", paramLabel = "ID", description = "the job's id (from job submit)")
    String id;

    @Option(names = "--json", description = "print the job as JSON, with the API's field names")
    boolean json;

    @Override
    public Integer call() throws Exception {
        return ClientOptions.run("job status", spec.commandLine().getErr(), () -> {
            try (SwitchboardClient client = server.client()) {
                print(spec.commandLine().getOut(), client.job(id), json);
                return 0;
            }
        });
    }

    static void print(PrintWriter out, Job j, boolean json) {
        if (json) {
            out.println(JobCommand.json(j));
        } else {
            out.printf(ROW, "id", j.id());
            out.printf(ROW, "type", j.type());
            out.printf(ROW, "status", j.status().wire() + (j.cancelRequested() && !j.isFinished() ? " (cancel requested)" : ""));
            out.printf(ROW, "attempt", j.attempt() + "/" + j.maxAttempts());
            if (j.progress() != null) {
                out.printf(ROW, "progress", j.progress().percent() + "%" + (j.progress().message() == null ? "" : " " + j.progress().message()));
            }
            if (j.result() != null) {
                out.printf(ROW, "result", j.resultText());
            }
            if (j.error() != null) {
                out.printf(ROW, "error", j.error());
            }
            out.printf(ROW, "created", j.created());
            out.printf(ROW, "updated", j.updated());
        }
        out.flush();
    }
}
