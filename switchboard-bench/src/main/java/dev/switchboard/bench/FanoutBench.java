package dev.switchboard.bench;

import dev.switchboard.bench.result.ScenarioResult;
import dev.switchboard.bench.server.ServerSource;
import dev.switchboard.bench.server.ServerUnderTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Fan-out: N subscribers (SSE or WebSocket) on one topic, one publisher of NDJSON batches with
 * {@code durability=async} as fast as the slowest subscriber keeps up (within {@code window} messages);
 * deliveries/s counted at the clients. Beside each figure, the generator's ceiling for the same
 * transport and N ({@link CeilingBench}) when {@code ceiling} is on: a figure near it is the
 * generator's limit, not the server's.
 */
public record FanoutBench(String token, List<String> transports, List<Integer> counts, int batch, int window, boolean ceiling, int warmup,
        int seconds) implements Scenario {
    /** A figure at or above this share of the generator's ceiling is labelled generator-limited. */
    static final double GENERATOR_LIMITED = 0.8;

    public static FanoutBench defaults() {
        return new FanoutBench(null, List.of("sse", "ws"), List.of(100, 1_000, 10_000), 100, 2_000, true, 2, 5);
    }

    @Override
    public ScenarioResult run(ServerSource servers) throws Exception {
        Transports.check(transports);
        ScenarioResult result = ScenarioResult.start("fanout", Map.of("batch", batch, "window", window, "durability", "async",
                "message_bytes", 100, "warmup_s", warmup, "seconds", seconds));
        try (ServerUnderTest server = servers.start()) {
            for (String transport : transports) {
                for (int n : counts) {
                    List<Object> row = new ArrayList<>(List.of("transport", transport, "subscribers", n));
                    String topic = "bench-fanout-" + transport + "-" + n + "-" + System.currentTimeMillis();
                    double delivered;
                    try (DeliveryRun run = new DeliveryRun(new Target(server.url(), token))) {
                        Fleet fleet = run.subscribe(n, i -> Transports.open(run.subscribers(), transport, topic, -1));
                        run.publish(new Publisher.Plan(topic, "async", batch, 100, 0), fleet, window);
                        List<Object> figures = run.measure(warmup, seconds, server.gauge());
                        delivered = (Double) DeliveryRun.figure(figures, "delivered_per_s");
                        row.addAll(figures);
                    }
                    if (ceiling) {
                        Double limit = CeilingBench.ceiling(transport, n, warmup, seconds);
                        row.addAll(List.of("generator_ceiling_per_s", limit == null ? "n/a" : limit,
                                "generator_limited", limit != null && delivered >= GENERATOR_LIMITED * limit));
                    }
                    result.add(row.toArray());
                }
            }
        }
        return result;
    }
}
