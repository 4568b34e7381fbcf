package dev.switchboard.bench;

import dev.switchboard.bench.result.ScenarioResult;
import dev.switchboard.bench.server.ProcessGauge;
import dev.switchboard.bench.server.ServerSource;
import dev.switchboard.bench.server.ServerUnderTest;
import dev.switchboard.bench.wire.ClientLoop;
import dev.switchboard.bench.wire.Deliveries;
import dev.switchboard.bench.wire.Subscribers;
import java.util.Map;

/**
 * Memory per idle connection: the server's resident memory ({@code VmRSS}) with {@code connections}
 * idle, subscribed SSE streams or WebSockets, minus before them, divided by their number. Each transport
 * gets a fresh server (when the bench starts them), so one transport's heap growth is not the other's.
 * Needs the server's pid: a server given by {@code --url} needs {@code --server-pid}.
 */
public record ConnectionsBench(String token, java.util.List<String> transports, int connections, int settleSeconds) implements Scenario {
    public static ConnectionsBench defaults() {
        return new ConnectionsBench(null, Transports.ALL, 10_000, 3);
    }

    @Override
    public ScenarioResult run(ServerSource servers) throws Exception {
        Transports.check(transports);
        ScenarioResult result = ScenarioResult.start("connections", Map.of("connections", connections, "settle_s", settleSeconds));
        for (String transport : transports) {
            try (ServerUnderTest server = servers.start()) {
                ProcessGauge gauge = server.gauge();
                if (!gauge.known()) {
                    throw new IllegalArgumentException("memory per connection needs the server's pid: give --server-pid with --url");
                }
                String topic = "bench-idle-" + transport + "-" + System.currentTimeMillis();
                Thread.sleep(settleSeconds * 1000L);
                long before = gauge.rssBytes();
                try (ClientLoop loop = new ClientLoop(2)) {
                    Subscribers subscribers = new Subscribers(loop, new Target(server.url(), token), new Deliveries());
                    try (Fleet fleet = Fleet.open(connections, i -> Transports.open(subscribers, transport, topic, -1))) {
                        Thread.sleep(settleSeconds * 1000L);
                        long after = gauge.rssBytes();
                        result.add("transport", transport, "connections", fleet.members().size(), "rss_before_mib", before / 1048576.0,
                                "rss_after_mib", after / 1048576.0, "kib_per_connection", (after - before) / 1024.0 / connections);
                    }
                }
            }
        }
        return result;
    }
}
