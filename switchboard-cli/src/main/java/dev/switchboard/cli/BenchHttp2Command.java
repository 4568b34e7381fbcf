package dev.switchboard.cli;

import dev.switchboard.bench.Http2Bench;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code switchboard bench http2}: many SSE streams from one client, HTTP/1.1 against h2c. */
@Command(name = "http2", mixinStandardHelpOptions = true,
        description = "N SSE streams from one client over HTTP/1.1 (a connection each) and over h2c (one connection, prior knowledge): time"
                + " to first delivery, deliveries/s, connections used.",
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:measured", "1:the run failed (reason on stderr)", "2:invalid arguments"})
final class BenchHttp2Command implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    BenchScenarioOptions run;

    @Option(names = "--streams", defaultValue = "100", description = "concurrent SSE streams (default ${DEFAULT-VALUE}; the server allows"
            + " max-streams=256 per connection)")
    int streams;

    @Option(names = "--batch", defaultValue = "100", description = "messages per publish (default ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--window", defaultValue = "2000", description = "how far the publisher may run ahead of the slowest stream (default ${DEFAULT-VALUE})")
    int window;

    @Override
    public Integer call() {
        return run.run(new Http2Bench(run.token, streams, batch, window, run.warmup, run.seconds), spec.commandLine().getOut(),
                spec.commandLine().getErr());
    }
}
