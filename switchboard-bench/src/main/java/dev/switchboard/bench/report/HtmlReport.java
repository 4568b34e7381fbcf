package dev.switchboard.bench.report;

import static dev.switchboard.bench.report.SvgBarChart.esc;

import dev.switchboard.bench.result.ResultFiles;
import dev.switchboard.bench.result.ResultTable;
import dev.switchboard.bench.result.ScenarioResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One self-contained HTML page of the latest result of each scenario in a results folder: per
 * scenario its settings, its charts (inline SVG) and its table. No script, stylesheet, font or image
 * from elsewhere: it opens offline, from a file or an attachment.
 */
public final class HtmlReport {
    private static final String STYLE = """
            body{font-family:system-ui,sans-serif;margin:24px;color:#222;max-width:1100px}
            h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ccc}
            .setup{color:#555;font-size:13px}table{border-collapse:collapse;font-size:12px;margin:8px 0}
            td,th{border:1px solid #ddd;padding:3px 6px;text-align:right}td:first-child,th:first-child{text-align:left}
            svg.chart{display:block;margin:12px 0}.scroll{overflow-x:auto}
            """;

    private HtmlReport() {}

    /** Writes the report of {@code in}'s latest results to {@code out}; returns how many scenarios it holds. */
    public static int write(Path in, Path out) throws IOException {
        List<ScenarioResult> results = new java.util.ArrayList<>(ResultFiles.latest(in));
        results.sort(java.util.Comparator.comparingInt(r -> ReportCharts.rank(r.scenario())));
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        Files.writeString(out, html(results), StandardCharsets.UTF_8);
        return results.size();
    }

    static String html(List<ScenarioResult> results) {
        StringBuilder h = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Switchboard benchmarks</title><style>")
                .append(STYLE).append("</style></head><body>\n<h1>Switchboard benchmarks</h1>\n")
                .append("<p class=\"setup\">Generated ").append(Instant.now()).append(" from the latest result of each scenario. ")
                .append("Method, machine and targets: BENCHMARKS.md at the repository root.</p>\n");
        for (ScenarioResult r : results) {
            h.append("<section id=\"").append(esc(r.scenario())).append("\"><h2>").append(esc(r.scenario())).append("</h2>\n")
                    .append("<p class=\"setup\">run ").append(esc(r.started())).append(" · ").append(esc(r.setup().toString())).append("</p>\n");
            for (ChartSpec spec : ReportCharts.of(r.scenario())) {
                SvgBarChart chart = spec.chart(r.rows());
                if (chart != null) {
                    h.append(chart.svg());
                }
            }
            h.append(table(r.rows())).append("</section>\n");
        }
        return h.append("</body></html>\n").toString();
    }

    private static String table(List<Map<String, Object>> rows) {
        Set<String> columns = new LinkedHashSet<>();
        rows.forEach(row -> columns.addAll(row.keySet()));
        StringBuilder t = new StringBuilder("<div class=\"scroll\"><table><tr>");
        columns.forEach(c -> t.append("<th>").append(esc(c)).append("</th>"));
        t.append("</tr>\n");
        for (Map<String, Object> row : rows) {
            t.append("<tr>");
            columns.forEach(c -> t.append("<td>").append(esc(ResultTable.format(row.get(c)))).append("</td>"));
            t.append("</tr>\n");
        }
        return t.append("</table></div>\n").toString();
    }
}
