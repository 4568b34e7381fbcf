package dev.switchboard.cli;

import dev.switchboard.bench.PublishBench;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code switchboard bench publish}: durable publishing, sync against async, single messages against NDJSON batches. */
@Command(name = "publish", mixinStandardHelpOptions = true,
        description = "durability=sync and async, each with single-message publishers and with NDJSON batches: messages/s, round trip p50/p99,"
                + " server CPU. On SQLite, and on PostgreSQL too with --postgres-url (servers the bench starts).",
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:measured", "1:the run failed (reason on stderr)", "2:invalid arguments"})
final class BenchPublishCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    BenchScenarioOptions run;

    @Option(names = "--postgres-url", description = "also measure a server with store=postgres on this database (postgresql://USER@HOST:PORT/DB)")
    String postgresUrl;

    @Option(names = "--connections", defaultValue = "64", description = "single-message publishers (default ${DEFAULT-VALUE})")
    int connections;

    @Option(names = "--batch", defaultValue = "1000", description = "messages per NDJSON batch (default ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--batch-connections", defaultValue = "4", description = "batch publishers (default ${DEFAULT-VALUE})")
    int batchConnections;

    @Override
    public Integer call() {
        return run.run(new PublishBench(run.token, postgresUrl, connections, batch, batchConnections, run.warmup, run.seconds),
                spec.commandLine().getOut(), spec.commandLine().getErr());
    }
}
