package dev.switchboard.bench;

import com.sun.management.UnixOperatingSystemMXBean;
import dev.switchboard.bench.result.ScenarioResult;
import dev.switchboard.bench.server.ProcessGauge;
import dev.switchboard.bench.server.ServerSource;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The generator ceiling: the fan-out clients against {@link CeilingServer} in this process, which
 * pushes pre-encoded frames as fast as the sockets take them. Needs two file descriptors per
 * subscriber in this one process (client and server end); an N the descriptor limit does not allow is
 * reported as not measured.
 */
public record CeilingBench(List<String> transports, List<Integer> counts, int warmup, int seconds) implements Scenario {
    private static final int SPARE_DESCRIPTORS = 500;

    public static CeilingBench defaults() {
        return new CeilingBench(Transports.ALL, List.of(100, 1_000, 10_000), 2, 5);
    }

    /** The scenario's server is its own; {@code servers} is not used. */
    @Override
    public ScenarioResult run(ServerSource servers) throws Exception {
        Transports.check(transports);
        ScenarioResult result = ScenarioResult.start("ceiling", Map.of("events_per_write", CeilingFrames.EVENTS, "message_bytes", 100,
                "warmup_s", warmup, "seconds", seconds));
        for (String transport : transports) {
            for (int n : counts) {
                List<Object> row = new ArrayList<>(List.of("transport", transport, "subscribers", n));
                if (fits(n)) {
                    row.addAll(measure(transport, n, warmup, seconds));
                } else {
                    row.addAll(List.of("delivered_per_s", "n/a", "note", "needs " + descriptors(n) + " file descriptors; the limit is " + limit()));
                }
                result.add(row.toArray());
            }
        }
        return result;
    }

    /** Deliveries/s of {@code n} subscribers against the ceiling server, or null when {@code n} does not fit the descriptor limit. */
    static Double ceiling(String transport, int n, int warmup, int seconds) throws InterruptedException {
        if (!fits(n)) {
            return null;
        }
        return (Double) DeliveryRun.figure(measure(transport, n, warmup, seconds), "delivered_per_s");
    }

    private static List<Object> measure(String transport, int n, int warmup, int seconds) throws InterruptedException {
        try (CeilingServer server = new CeilingServer(); DeliveryRun run = new DeliveryRun(new Target(server.url(), null))) {
            run.subscribe(n, i -> Transports.open(run.subscribers(), transport, "ceiling", -1));
            server.release();
            return run.measure(warmup, seconds, ProcessGauge.NONE);
        }
    }

    private static boolean fits(int n) {
        return descriptors(n) <= limit();
    }

    /** Both ends of every subscriber's socket, and some to spare for the JVM's own files. */
    private static long descriptors(int n) {
        return 2L * n + SPARE_DESCRIPTORS;
    }

    private static long limit() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix ? unix.getMaxFileDescriptorCount()
                : Long.MAX_VALUE;
    }
}
