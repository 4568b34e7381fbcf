package dev.switchboard.bench;

import dev.switchboard.bench.result.ScenarioResult;
import dev.switchboard.bench.server.ProcessGauge;
import dev.switchboard.bench.server.ServerSource;
import dev.switchboard.bench.server.ServerUnderTest;
import dev.switchboard.bench.wire.ClientLoop;
import dev.switchboard.bench.wire.Deliveries;
import dev.switchboard.bench.wire.Subscribers;
import java.util.List;
import java.util.Map;

/**
 * Memory per idle connection: the server's resident memory ({@code VmRSS}) with {@code connections}
 * idle, subscribed SSE streams or WebSockets, minus before them, divided by their number. Each transport
 * gets a fresh server (when the bench starts them), so one transport's heap growth is not the other's.
 * Needs the server's pid: a server given by {@code --url} needs {@code --server-pid}.
 *
 * <p>Three readings, each after {@code settleSeconds} of quiet: {@code rss_cold} on the server as it
 * started; then {@link ServerWarmup} runs for {@code warmupSeconds} (a batch of connections opened and
 * closed, then reads that allocate many young generations), and {@code rss_before}; then the
 * connections, and {@code rss_after}. {@code kib_per_connection} is after − before: what connections
 * cost a server that has served traffic. {@code kib_per_connection_cold} is after − cold, the figure
 * this scenario gave before it had a warm-up: it adds the JVM's first touch of heap pages (the young
 * generation above all) and what the warm-up left resident (its topic, compiled code).
 */
public record ConnectionsBench(String token, List<String> transports, int connections, int settleSeconds, int warmupSeconds)
        implements Scenario {
    public static ConnectionsBench defaults() {
        return new ConnectionsBench(null, Transports.ALL, 10_000, 3, 5);
    }

    @Override
    public ScenarioResult run(ServerSource servers) throws Exception {
        Transports.check(transports);
        ScenarioResult result = ScenarioResult.start("connections",
                Map.of("connections", connections, "settle_s", settleSeconds, "warmup_s", warmupSeconds));
        for (String transport : transports) {
            try (ServerUnderTest server = servers.start()) {
                ProcessGauge gauge = server.gauge();
                if (!gauge.known()) {
                    throw new IllegalArgumentException("memory per connection needs the server's pid: give --server-pid with --url");
                }
                String topic = "bench-idle-" + transport + "-" + System.currentTimeMillis();
                Target target = new Target(server.url(), token);
                try (ClientLoop loop = new ClientLoop(2)) {
                    Subscribers subscribers = new Subscribers(loop, target, new Deliveries());
                    settle();
                    long cold = gauge.rssBytes();
                    long warmupRead = new ServerWarmup(target).run(subscribers, transport, warmupSeconds);
                    settle();
                    long before = gauge.rssBytes();
                    try (Fleet fleet = Fleet.open(connections, i -> Transports.open(subscribers, transport, topic, -1))) {
                        settle();
                        long after = gauge.rssBytes();
                        result.add("transport", transport, "connections", fleet.members().size(),
                                "warmup_read_mib", warmupRead / 1048576.0, "rss_cold_mib", cold / 1048576.0,
                                "rss_before_mib", before / 1048576.0, "rss_after_mib", after / 1048576.0,
                                "kib_per_connection", (after - before) / 1024.0 / connections,
                                "kib_per_connection_cold", (after - cold) / 1024.0 / connections);
                    }
                }
            }
        }
        return result;
    }

    private void settle() throws InterruptedException {
        Thread.sleep(settleSeconds * 1000L);
    }
}
