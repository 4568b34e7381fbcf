package dev.switchboard.cli;

import dev.switchboard.bench.PatternsBench;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code switchboard bench patterns}: every delivery pattern on one topic, one after the other. */
@Command(name = "patterns", mixinStandardHelpOptions = true,
        description = "N subscribers per pattern (short polling every 1 s and 100 ms, long polling, SSE, WebSocket) while one publisher sends"
                + " --rate messages/s: deliveries, latency p50/p90/p99/max, requests and wire bytes per delivery, server CPU, losses.",
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:measured", "1:the run failed (reason on stderr)", "2:invalid arguments"})
final class BenchPatternsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    BenchScenarioOptions run;

    @Option(names = "--subscribers", defaultValue = "100", description = "subscribers per pattern (default ${DEFAULT-VALUE})")
    int subscribers;

    @Option(names = "--rate", defaultValue = "200", description = "messages per second published (default ${DEFAULT-VALUE})")
    double rate;

    @Option(names = "--batch", defaultValue = "1", description = "messages per publish request, as NDJSON (default ${DEFAULT-VALUE}: one"
            + " request per message, as the latency figures assume; more carries rates one publisher's round trips cannot)")
    int batch;

    @Option(names = "--size", defaultValue = "100", description = "bytes per message (default ${DEFAULT-VALUE})")
    int size;

    @Option(names = "--durability", defaultValue = "async", description = "sync or async publishing (default ${DEFAULT-VALUE})")
    String durability;

    @Option(names = "--patterns", split = ",", description = "which patterns (default: all of short-poll-1s, short-poll-100ms, long-poll, sse, ws)")
    List<String> patterns;

    @Override
    public Integer call() {
        List<String> which = patterns == null ? List.copyOf(PatternsBench.PATTERNS.keySet()) : patterns;
        return run.run(new PatternsBench(run.token, subscribers, rate, batch, size, durability, which, run.warmup, run.seconds),
                spec.commandLine().getOut(), spec.commandLine().getErr());
    }
}
