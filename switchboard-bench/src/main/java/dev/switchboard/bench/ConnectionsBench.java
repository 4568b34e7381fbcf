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
 * idle, subscribed SSE streams or WebSockets, minus before them, divided by their number. Needs the
 * server's pid: a server given by {@code --url} needs {@code --server-pid}.
 *
 * <p>Each transport is measured twice, each time on a fresh server (when the bench starts them), every
 * reading after {@code settleSeconds} of quiet. <b>Warmed</b> ({@code kib_per_connection}): first
 * {@link ServerWarmup} runs for {@code warmupSeconds} (a batch of connections opened and closed, then
 * reads that allocate many young generations), then before, the connections, after: what connections
 * cost a server that has served traffic. <b>Cold</b> ({@code kib_per_connection_cold}): before on the
 * server as it started, then the connections, after — the figure this scenario gave before it had a
 * warm-up, which adds the JVM's first touch of heap pages (the young generation above all). A server
 * given by {@code --url} is not fresh: it gets the warmed measurement only.
 */
public record ConnectionsBench(String token, List<String> transports, int connections, int settleSeconds, int warmupSeconds)
        implements Scenario {
    public static ConnectionsBench defaults() {
        return new ConnectionsBench(null, Transports.ALL, 10_000, 3, 5);
    }

    /** RSS in bytes before and after the connections, and what the warm-up read (0 without one). */
    private record Reading(long before, long after, int opened, long warmupRead) {
        double kibPerConnection() {
            return (after - before) / 1024.0 / opened;
        }
    }

    @Override
    public ScenarioResult run(ServerSource servers) throws Exception {
        Transports.check(transports);
        ScenarioResult result = ScenarioResult.start("connections",
                Map.of("connections", connections, "settle_s", settleSeconds, "warmup_s", warmupSeconds));
        for (String transport : transports) {
            Reading warm = measure(servers, transport, true);
            Reading cold = servers.external() ? null : measure(servers, transport, false);
            result.add("transport", transport, "connections", warm.opened(), "warmup_read_mib", warm.warmupRead() / 1048576.0,
                    "rss_before_mib", warm.before() / 1048576.0, "rss_after_mib", warm.after() / 1048576.0,
                    "kib_per_connection", warm.kibPerConnection(),
                    "rss_cold_before_mib", cold == null ? null : cold.before() / 1048576.0,
                    "rss_cold_after_mib", cold == null ? null : cold.after() / 1048576.0,
                    "kib_per_connection_cold", cold == null ? null : cold.kibPerConnection());
        }
        return result;
    }

    private Reading measure(ServerSource servers, String transport, boolean warmUp) throws Exception {
        try (ServerUnderTest server = servers.start(); ClientLoop loop = new ClientLoop(2)) {
            ProcessGauge gauge = server.gauge();
            if (!gauge.known()) {
                throw new IllegalArgumentException("memory per connection needs the server's pid: give --server-pid with --url");
            }
            Target target = new Target(server.url(), token);
            Subscribers subscribers = new Subscribers(loop, target, new Deliveries());
            long warmupRead = 0;
            if (warmUp) {
                settle();
                warmupRead = new ServerWarmup(target).run(subscribers, transport, warmupSeconds);
            }
            settle();
            long before = gauge.rssBytes();
            String topic = "bench-idle-" + transport + "-" + System.currentTimeMillis();
            try (Fleet fleet = Fleet.open(connections, i -> Transports.open(subscribers, transport, topic, -1))) {
                settle();
                return new Reading(before, gauge.rssBytes(), fleet.members().size(), warmupRead);
            }
        }
    }

    private void settle() throws InterruptedException {
        Thread.sleep(settleSeconds * 1000L);
    }
}
