package dev.switchboard.bench;

import com.sun.management.UnixOperatingSystemMXBean;
import dev.switchboard.bench.result.ScenarioResult;
import dev.switchboard.bench.server.ServerSource;
import dev.switchboard.bench.wire.SocketBuffers;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The generator ceiling: the fan-out clients against a {@link CeilingServer} in its own process
 * ({@link CeilingProcess}), which pushes pre-encoded frames as fast as the sockets take them. Each of
 * the two processes needs a file descriptor per subscriber; an N the descriptor limit does not allow is
 * reported as not measured. Every socket's kernel buffers are fixed ({@link SocketBuffers}): the kernel
 * would otherwise grow them until the machine's TCP memory ran out and deliveries waited on
 * retransmission timers.
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
                    row.addAll(List.of("delivered_per_s", "n/a", "note", "needs " + descriptors(n) + " file descriptors in each process; the limit is " + limit()));
                }
                result.add(row.toArray());
            }
        }
        return result;
    }

    /** Deliveries/s of {@code n} subscribers against the ceiling server, or null when {@code n} does not fit the descriptor limit. */
    static Double ceiling(String transport, int n, int warmup, int seconds) throws IOException, InterruptedException {
        if (!fits(n)) {
            return null;
        }
        return (Double) DeliveryRun.figure(measure(transport, n, warmup, seconds), "delivered_per_s");
    }

    private static List<Object> measure(String transport, int n, int warmup, int seconds) throws IOException, InterruptedException {
        int buffer = SocketBuffers.perSocket(n);
        try (CeilingProcess server = CeilingProcess.start(buffer); DeliveryRun run = new DeliveryRun(new Target(server.url(), null), buffer)) {
            run.subscribe(n, i -> Transports.open(run.subscribers(), transport, "ceiling", -1));
            server.release();
            List<Object> figures = new ArrayList<>(run.measure(warmup, seconds, server.gauge()));
            figures.addAll(List.of("socket_buffer_bytes", buffer));
            return figures;
        }
    }

    private static boolean fits(int n) {
        return descriptors(n) <= limit();
    }

    /** One end of every subscriber's socket in each process, and some to spare for the JVM's own files. */
    private static long descriptors(int n) {
        return n + SPARE_DESCRIPTORS;
    }

    private static long limit() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix ? unix.getMaxFileDescriptorCount()
                : Long.MAX_VALUE;
    }
}
