package dev.switchboard.cli;

import dev.switchboard.bench.Scenario;
import dev.switchboard.bench.report.HtmlReport;
import dev.switchboard.bench.result.ResultFiles;
import dev.switchboard.bench.result.ResultTable;
import dev.switchboard.bench.result.ScenarioResult;
import dev.switchboard.bench.server.ServerSource;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * What the end-to-end bench scenarios share: which server (their own by default, or {@code --url}),
 * the token, how long, where the results go, and how a run is printed. Every run writes its JSON to
 * {@code --out} and rebuilds {@code report.html} there.
 */
final class BenchScenarioOptions {
    @Option(names = "--url", paramLabel = "URL",
            description = "measure this running server; without it each scenario starts its own server process (empty data folder, free port)")
    String url;

    @Option(names = "--server-pid", paramLabel = "PID", description = "with --url: the server's process id, for its CPU and memory figures")
    Long serverPid;

    @Option(names = "--token", paramLabel = "JWT", defaultValue = "${env:SWITCHBOARD_TOKEN}",
            description = "bearer token for every HTTP and WebSocket call (default: $SWITCHBOARD_TOKEN)")
    String token;

    @Option(names = "--warmup", defaultValue = "2", description = "seconds before each case's measured window (default ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--seconds", defaultValue = "5", description = "measured seconds per case (default ${DEFAULT-VALUE})")
    int seconds;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "bench/results",
            description = "folder for the result JSON and report.html (default ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--json", description = "print only the result as one JSON line")
    boolean json;

    ServerSource servers() {
        return url == null ? ServerSource.children() : ServerSource.external(url, serverPid);
    }

    /** Runs the scenario, writes its JSON and the report, prints it; exit codes as {@link BenchCommand#print}. */
    int run(Scenario scenario, PrintWriter out, PrintWriter err) {
        return BenchCommand.print(out, err, () -> {
            ScenarioResult r = scenario.run(servers());
            Path file = ResultFiles.write(this.out, r);
            Path report = this.out.resolve("report.html");
            HtmlReport.write(this.out, report);
            return json ? ResultFiles.json(r) : ResultTable.render(r) + "\nwrote " + file + " and " + report;
        });
    }
}
