package dev.switchboard.bench.report;

import static dev.switchboard.bench.report.ChartSpec.column;

import dev.switchboard.bench.report.ChartSpec.Measure;
import java.util.List;
import java.util.Map;

/** The charts of each scenario's section in the report; a scenario not listed here gets its table only. */
final class ReportCharts {
    private static final Map<String, List<ChartSpec>> BY_SCENARIO = Map.of(
            "patterns", List.of(
                    new ChartSpec("Publish→delivery latency by pattern", "ms", true, column("pattern"),
                            List.of(Measure.of("p50_ms", "p50"), Measure.of("p90_ms", "p90"), Measure.of("p99_ms", "p99"))),
                    new ChartSpec("Requests per delivered message", "requests", true, column("pattern"),
                            List.of(Measure.of("requests_per_delivery", "requests / delivery"))),
                    new ChartSpec("Wire bytes per delivered message (client side, both directions)", "bytes", false, column("pattern"),
                            List.of(Measure.of("bytes_per_delivery", "bytes / delivery"))),
                    new ChartSpec("Server CPU during the window", "% of one core", false, column("pattern"),
                            List.of(Measure.of("server_cpu_pct", "server CPU")))),
            "fanout", List.of(
                    new ChartSpec("Fan-out deliveries/s by subscribers, beside the generator's ceiling", "deliveries/s", true,
                            column("subscribers"), List.of(Measure.by("delivered_per_s", "transport", ""),
                                    Measure.by("generator_ceiling_per_s", "transport", " ceiling")))),
            "ceiling", List.of(
                    new ChartSpec("Generator ceiling: deliveries/s the clients can count", "deliveries/s", true, column("subscribers"),
                            List.of(Measure.by("delivered_per_s", "transport", "")))),
            "connections", List.of(
                    new ChartSpec("Memory per idle connection (server RSS delta / connections)", "KiB", false, column("transport"),
                            List.of(Measure.of("kib_per_connection", "KiB per connection (warmed server)"),
                                    Measure.of("kib_per_connection_cold", "KiB per connection (from the fresh server)")))),
            "http2", List.of(
                    new ChartSpec("SSE streams over HTTP/1.1 (a connection each) and h2c (one): deliveries/s", "deliveries/s", false,
                            column("protocol"), List.of(Measure.of("delivered_per_s", "deliveries/s"))),
                    new ChartSpec("Time to first delivery", "ms", false, column("protocol"),
                            List.of(Measure.of("first_delivery_p50_ms", "p50"), Measure.of("first_delivery_max_ms", "max")))),
            "publish", List.of(
                    new ChartSpec("Durable publish: messages/s", "msg/s", true, row -> row.get("store") + " " + row.get("case"),
                            List.of(Measure.by("published_per_s", "durability", "")))));

    /** Sections in reading order: what a client sees first, then the costs, then the generator's limit. */
    private static final List<String> ORDER = List.of("patterns", "fanout", "ceiling", "connections", "http2", "publish");

    private ReportCharts() {}

    /** Where a scenario's section goes; scenarios without charts come last. */
    static int rank(String scenario) {
        int i = ORDER.indexOf(scenario);
        return i < 0 ? ORDER.size() : i;
    }

    static List<ChartSpec> of(String scenario) {
        return BY_SCENARIO.getOrDefault(scenario, List.of());
    }
}
