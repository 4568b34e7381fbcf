package dev.switchboard.cli;

import dev.switchboard.bench.ConnectionsBench;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code switchboard bench connections}: server memory per idle connection. */
@Command(name = "connections", mixinStandardHelpOptions = true,
        description = "N idle, subscribed SSE streams or WebSockets: the server's RSS (VmRSS of /proc/PID/status) after minus before, per"
                + " connection, on two fresh servers per transport: warmed (kib_per_connection: before the 'before' reading, 1,000"
                + " connections are opened and closed and a throwaway topic is read for --seconds, so the JVM's first touches of its heap"
                + " are not counted as connections) and cold (kib_per_connection_cold: 'before' on the server as it started). With --url,"
                + " --server-pid is required and only the warmed figure is measured. --warmup is the settle time before each RSS reading.",
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:measured", "1:the run failed (reason on stderr)", "2:invalid arguments"})
final class BenchConnectionsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    BenchScenarioOptions run;

    @Option(names = "--transports", split = ",", defaultValue = "sse,ws", description = "sse, ws or both (default ${DEFAULT-VALUE})")
    List<String> transports;

    @Option(names = "--connections", defaultValue = "10000", description = "idle connections per transport (default ${DEFAULT-VALUE}; mind"
            + " ulimit -n of the bench and the server)")
    int connections;

    @Override
    public Integer call() {
        return run.run(new ConnectionsBench(run.token, transports, connections, run.warmup, run.seconds), spec.commandLine().getOut(), spec.commandLine().getErr());
    }
}
