package dev.switchboard.cli;

import dev.switchboard.bench.CeilingBench;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code switchboard bench ceiling}: what the bench's own clients can count, against a server that does nothing but write. */
@Command(name = "ceiling", mixinStandardHelpOptions = true,
        description = "The fan-out clients against a trivial server in a process of its own that writes pre-encoded SSE events or"
                + " WebSocket frames as fast as each socket takes them, through fixed kernel socket buffers: the generator's limit on"
                + " this machine (--url is not used). Each process needs a file descriptor per subscriber.",
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:measured", "1:the run failed (reason on stderr)", "2:invalid arguments"})
final class BenchCeilingCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    BenchScenarioOptions run;

    @Option(names = "--transports", split = ",", defaultValue = "sse,ws", description = "sse, ws or both (default ${DEFAULT-VALUE})")
    List<String> transports;

    @Option(names = "--subscribers", split = ",", defaultValue = "100,1000,10000", description = "subscriber counts (default ${DEFAULT-VALUE})")
    List<Integer> counts;

    @Override
    public Integer call() {
        return run.run(new CeilingBench(transports, counts, run.warmup, run.seconds), spec.commandLine().getOut(), spec.commandLine().getErr());
    }
}
