package dev.switchboard.cli;

import dev.switchboard.bench.report.HtmlReport;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code switchboard bench report}: one self-contained HTML page of the latest result of each scenario. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Builds one HTML file with inline SVG charts and tables from the latest JSON result of each scenario in --in (no"
                + " external resources: it opens offline). Each scenario run also rebuilds report.html in its --out folder.",
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:written", "1:the results could not be read or the report written"})
final class BenchReportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--in", paramLabel = "DIR", defaultValue = "bench/results", description = "results folder (default ${DEFAULT-VALUE})")
    Path in;

    @Option(names = "--out", paramLabel = "FILE", description = "the HTML file (default: report.html in --in)")
    Path out;

    @Override
    public Integer call() {
        Path file = out == null ? in.resolve("report.html") : out;
        try {
            int scenarios = HtmlReport.write(in, file);
            spec.commandLine().getOut().println("wrote " + file + " (" + scenarios + " scenarios)");
            return 0;
        } catch (java.io.IOException e) {
            spec.commandLine().getErr().println("switchboard bench report: " + e);
            return 1;
        }
    }
}
