package dev.switchboard.bench;

import dev.switchboard.bench.result.ScenarioResult;
import dev.switchboard.bench.server.ServerSource;
import dev.switchboard.bench.server.ServerUnderTest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Durable publishing: {@code durability=sync} (answered after the fsync) beside {@code async}, each with
 * {@code connections} publishers sending one message per request and with {@code batchConnections}
 * publishers sending NDJSON batches of {@code batch}. On SQLite, and on PostgreSQL too when a URL is
 * given (a server the bench starts with {@code store=postgres}). A fresh topic per case.
 */
public record PublishBench(String token, String postgresUrl, int connections, int batch, int batchConnections, int warmup, int seconds)
        implements Scenario {
    public static PublishBench defaults() {
        return new PublishBench(null, null, 64, 1_000, 4, 2, 5);
    }

    @Override
    public ScenarioResult run(ServerSource servers) throws Exception {
        ScenarioResult result = ScenarioResult.start("publish", Map.of("connections", connections, "batch", batch,
                "batch_connections", batchConnections, "message_bytes", 100, "warmup_s", warmup, "seconds", seconds));
        for (Map.Entry<String, Map<String, String>> store : stores(servers.external()).entrySet()) {
            try (ServerUnderTest server = servers.start(store.getValue())) {
                for (String durability : List.of("sync", "async")) {
                    for (boolean batched : List.of(false, true)) {
                        int publishers = batched ? batchConnections : connections;
                        int perRequest = batched ? batch : 1;
                        String topic = "bench-publish-" + durability + "-" + perRequest + "-" + System.currentTimeMillis();
                        try (DeliveryRun run = new DeliveryRun(new Target(server.url(), token))) {
                            for (int i = 0; i < publishers; i++) {
                                run.publish(new Publisher.Plan(topic, durability, perRequest, 100, 0), null, 0);
                            }
                            List<Object> row = new ArrayList<>(List.of("store", store.getKey(), "durability", durability,
                                    "case", (batched ? "batch-" + batch : "single") + " x" + publishers));
                            row.addAll(run.measure(warmup, seconds, server.gauge()));
                            result.add(row.toArray());
                        }
                    }
                }
            }
        }
        return result;
    }

    /** Store label → the settings a server the bench starts gets for it; a server given by URL is measured once, as it is. */
    private Map<String, Map<String, String>> stores(boolean external) {
        Map<String, Map<String, String>> stores = new LinkedHashMap<>();
        stores.put(external ? "server's" : "sqlite", Map.of());
        if (postgresUrl != null && !external) {
            stores.put("postgres", Map.of("store", "postgres", "postgres-url", postgresUrl));
        }
        return stores;
    }
}
