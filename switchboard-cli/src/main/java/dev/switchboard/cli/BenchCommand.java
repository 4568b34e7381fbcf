package dev.switchboard.cli;

import dev.switchboard.bench.GroupBench;
import dev.switchboard.bench.JobBench;
import dev.switchboard.bench.PoolBench;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code switchboard bench}: the load generators of {@code switchboard-bench}, measuring a server from
 * outside as its clients see it. Every run is bounded in time and prints a table (or, with
 * {@code --json}, one JSON line) — see bench/README.md and BENCHMARKS.md for the method and the figures.
 */
@Command(name = "bench",
        mixinStandardHelpOptions = true,
        description = "Bounded load runs, measured from outside as clients see the server: the delivery patterns, fan-out, idle connections,"
                + " HTTP/2, publishing, the generator's ceiling (each writes JSON and an HTML report), consumer groups, async jobs,"
                + " PostgreSQL pooling.",
        subcommands = {BenchPatternsCommand.class, BenchFanoutCommand.class, BenchConnectionsCommand.class, BenchHttp2Command.class,
                BenchPublishCommand.class, BenchCeilingCommand.class, BenchReportCommand.class,
                BenchCommand.Groups.class, BenchCommand.Jobs.class, BenchCommand.Pool.class})
final class BenchCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** What the load scenarios share: how long, how fast, and how to print. */
    static final class Window {
        @Option(names = "--rate", defaultValue = "0", description = "offered per second (messages or jobs); 0 goes as fast as the server answers")
        double rate;

        @Option(names = "--seconds", defaultValue = "10", description = "measured time after the warm-up (default ${DEFAULT-VALUE})")
        int seconds;

        @Option(names = "--warmup", defaultValue = "3", description = "seconds before measuring (default ${DEFAULT-VALUE})")
        int warmup;

        @Option(names = "--json", description = "print only the JSON line")
        boolean json;
    }

    /** Prints the table and JSON line (or only the JSON line) that {@code run} gives; see {@link #print}. */
    private static int report(PrintWriter out, PrintWriter err, boolean json, Callable<String[]> run) {
        return print(out, err, () -> {
            String[] tableAndJson = run.call();
            return json ? tableAndJson[1] : tableAndJson[0] + tableAndJson[1];
        });
    }

    /**
     * Prints what {@code run} gives, exit code 0; an invalid argument is exit code 2 and a failed run
     * exit code 1, each with the reason on {@code err}. Every bench command ends here.
     */
    static int print(PrintWriter out, PrintWriter err, Callable<String> run) {
        try {
            out.println(run.call());
            out.flush();
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("switchboard bench: " + e.getMessage());
            err.flush();
            return 2;
        } catch (Exception e) {
            err.println("switchboard bench: the run failed: " + e.getMessage());
            err.flush();
            return 1;
        }
    }

    @Command(name = "groups",
            mixinStandardHelpOptions = true,
            description = "Publishers feed one topic; one consumer group takes and acknowledges every message.",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:measured", "1:a client failed (reason on stderr)", "2:invalid arguments"})
    static final class Groups implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ClientOptions server;

        @Option(names = "--via", defaultValue = "ws", description = "ws (prefetch window) or long-poll (fetch, then ack); default ${DEFAULT-VALUE}")
        String via;

        @Option(names = "--consumers", defaultValue = "4", description = "consumers in the group (default ${DEFAULT-VALUE})")
        int consumers;

        @Option(names = "--publishers", defaultValue = "2", description = "publishing connections (default ${DEFAULT-VALUE})")
        int publishers;

        @Mixin
        Window window;

        @Option(names = "--batch", defaultValue = "100", description = "messages per publish (NDJSON; default ${DEFAULT-VALUE})")
        int batch;

        @Option(names = "--size", defaultValue = "100", description = "bytes per message (default ${DEFAULT-VALUE})")
        int size;

        @Option(names = "--max-in-flight", defaultValue = "1000", description = "WebSocket prefetch window per consumer (default ${DEFAULT-VALUE})")
        int maxInFlight;

        @Option(names = "--fetch-max", defaultValue = "100", description = "messages per long-poll fetch (default ${DEFAULT-VALUE})")
        int fetchMax;

        @Option(names = "--durability", defaultValue = "sync", description = "sync or async publishing (default ${DEFAULT-VALUE})")
        String durability;

        @Override
        public Integer call() {
            var out = spec.commandLine().getOut();
            return report(out, spec.commandLine().getErr(), window.json, () -> {
                GroupBench.Result r = GroupBench.run(new GroupBench.Options(server.url, via, consumers, publishers, window.seconds, window.warmup, window.rate, batch,
                        size, maxInFlight, fetchMax, durability, server.token));
                return new String[] {r.table(), r.json()};
            });
        }
    }

    @Command(name = "jobs",
            mixinStandardHelpOptions = true,
            description = "Clients submit no-op jobs over HTTP; Java handlers in an embedded server (in-process) or HTTP workers (remote,"
                    + " against --url) run them.",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:measured", "1:a client failed (reason on stderr)", "2:invalid arguments"})
    static final class Jobs implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ClientOptions server;

        @Option(names = "--mode", defaultValue = "in-process", description = "in-process (its own server, HTTP submits), embedded (its own server, Java API submits) or remote"
                + " (default ${DEFAULT-VALUE})")
        String mode;

        @Option(names = "--submitters", defaultValue = "64", description = "submitting connections (default ${DEFAULT-VALUE})")
        int submitters;

        @Option(names = "--workers", defaultValue = "64", description = "handler threads or remote workers (default ${DEFAULT-VALUE})")
        int workers;

        @Option(names = "--postgres-url", description = "in-process and embedded: the server they start keeps its store in this PostgreSQL")
        String postgresUrl;

        @Option(names = "--claim-max", defaultValue = "1", description = "remote: jobs each worker claims per request (max=N, 1 to 100;"
                + " default ${DEFAULT-VALUE}: the plain claim)")
        int claimMax;

        @Option(names = "--batch", defaultValue = "1", description = "jobs per submit, 1 to 1000: an NDJSON batch over HTTP"
                + " (in-process, remote), Jobs.submitAll (embedded); default ${DEFAULT-VALUE}: one job, the single JSON form")
        int batch;

        @Mixin
        Window window;

        @Override
        public Integer call() {
            var out = spec.commandLine().getOut();
            if (claimMax < 1 || claimMax > 100) {
                spec.commandLine().getErr().println("switchboard bench jobs: --claim-max must be 1 to 100, not " + claimMax);
                return 2;
            }
            int maxBatch = dev.switchboard.core.jobs.Jobs.MAX_SUBMIT_BATCH; // the server's limit (this class has its own Jobs)
            if (batch < 1 || batch > maxBatch) {
                spec.commandLine().getErr().println("switchboard bench jobs: --batch must be 1 to " + maxBatch + ", not " + batch);
                return 2;
            }
            return report(out, spec.commandLine().getErr(), window.json, () -> {
                JobBench.Result r = JobBench.run(new JobBench.Options(mode, server.url, submitters, workers, window.seconds, window.warmup, window.rate,
                        postgresUrl, server.token, claimMax, batch));
                return new String[] {r.table(), r.json()};
            });
        }
    }

    @Command(name = "pool",
            mixinStandardHelpOptions = true,
            description = "The same query on pooled connections (HikariCP, kept hot) and on a new connection per operation, against PostgreSQL.",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:measured", "1:PostgreSQL could not be reached (reason on stderr)", "2:invalid arguments"})
    static final class Pool implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--postgres-url", required = true, description = "postgresql://USER@HOST:PORT/DB (or a jdbc:postgresql: URL)")
        String postgresUrl;

        @Option(names = "--threads", defaultValue = "16", description = "callers at once (default ${DEFAULT-VALUE})")
        int threads;

        @Option(names = "--pool-size", defaultValue = "10", description = "pooled connections (default ${DEFAULT-VALUE}, the server's)")
        int poolSize;

        @Option(names = "--seconds", defaultValue = "5", description = "measured time per mode (default ${DEFAULT-VALUE})")
        int seconds;

        @Option(names = "--json", description = "print only the JSON line")
        boolean json;

        @Override
        public Integer call() {
            return report(spec.commandLine().getOut(), spec.commandLine().getErr(), json, () -> PoolBench.run(postgresUrl, threads, poolSize, seconds));
        }
    }
}
