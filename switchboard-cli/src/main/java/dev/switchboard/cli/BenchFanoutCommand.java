package dev.switchboard.cli;

import dev.switchboard.bench.FanoutBench;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code switchboard bench fanout}: deliveries/s to N subscribers of one topic, by transport. */
@Command(name = "fanout", mixinStandardHelpOptions = true,
        description = "N SSE or WebSocket subscribers on one topic, one publisher (NDJSON batches, durability=async) as fast as the slowest"
                + " subscriber keeps up: deliveries/s counted at the clients, beside the generator's own ceiling.",
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:measured", "1:the run failed (reason on stderr)", "2:invalid arguments"})
final class BenchFanoutCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    BenchScenarioOptions run;

    @Option(names = "--transports", split = ",", defaultValue = "sse,ws", description = "sse, ws or both (default ${DEFAULT-VALUE})")
    List<String> transports;

    @Option(names = "--subscribers", split = ",", defaultValue = "100,1000,10000", description = "subscriber counts (default ${DEFAULT-VALUE})")
    List<Integer> counts;

    @Option(names = "--batch", defaultValue = "100", description = "messages per publish (default ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--window", defaultValue = "2000", description = "how far the publisher may run ahead of the slowest subscriber, in messages"
            + " (default ${DEFAULT-VALUE})")
    int window;

    @Option(names = "--ceiling", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "also measure the generator's ceiling for each case; --no-ceiling skips it (default: on)")
    boolean ceiling;

    @Override
    public Integer call() {
        return run.run(new FanoutBench(run.token, transports, counts, batch, window, ceiling, run.warmup, run.seconds),
                spec.commandLine().getOut(), spec.commandLine().getErr());
    }
}
