package dev.switchboard.bench;

import dev.switchboard.bench.server.ProcessGauge;
import dev.switchboard.bench.wire.ClientLoop;
import dev.switchboard.bench.wire.Deliveries;
import dev.switchboard.bench.wire.RequestChain;
import dev.switchboard.bench.wire.Subscriber;
import dev.switchboard.bench.wire.Subscribers;
import io.netty.channel.ChannelFuture;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.HdrHistogram.Histogram;

/**
 * The runner every scenario shares: subscribers on one client loop, publishers, a warm-up, then a
 * measured window, and one set of figures — published/s; with subscribers, deliveries/s,
 * publish→delivery latency, requests and wire bytes per delivery, losses; without, the publish round
 * trip; and the server's CPU when its pid is known.
 */
final class DeliveryRun implements AutoCloseable {
    /** Client event loops: the generator shares the machine's cores with the server. */
    private static final int CLIENT_THREADS = 2;

    private final Target target;
    private final ClientLoop loop;
    private final Deliveries deliveries = new Deliveries();
    private final Subscribers subscribers;
    private final Stats publishing = new Stats();
    private final List<Fleet> fleets = new ArrayList<>();
    /** The publishers' own event loop: a publish is never queued behind a burst of deliveries to read. */
    private final ClientLoop publisherLoop = new ClientLoop(1);
    private final List<Publisher> publishers = new ArrayList<>();
    private final List<ChannelFuture> publisherConnections = new ArrayList<>();

    DeliveryRun(Target target) {
        this(target, 0);
    }

    /** @param receiveBuffer each subscriber socket's {@code SO_RCVBUF}, or 0 for the kernel's autotuning */
    DeliveryRun(Target target, int receiveBuffer) {
        this.target = target;
        this.loop = new ClientLoop(CLIENT_THREADS, receiveBuffer);
        this.subscribers = new Subscribers(loop, target, deliveries);
    }

    Subscribers subscribers() {
        return subscribers;
    }

    Fleet subscribe(int n, IntFunction<Subscriber> open) throws InterruptedException {
        Fleet f = Fleet.open(n, open);
        fleets.add(f);
        return f;
    }

    /** Starts one more publisher; {@code gate} (may be null) holds it within {@code window} messages of that fleet's slowest subscriber. */
    void publish(Publisher.Plan plan, Fleet gate, long window) {
        Publisher p = new Publisher(target, plan, publishing);
        if (gate != null) {
            p.gate(gate::slowest, window);
        }
        publishers.add(p);
        publisherConnections.add(RequestChain.start(publisherLoop, target.uri(""), p, publishing::failed));
    }

    /** Warm-up, then the measured window; returns the figures as {@code key, value, …} for a result row. */
    List<Object> measure(int warmupSeconds, int seconds, ProcessGauge gauge) throws InterruptedException {
        sleepUnlessFailed(warmupSeconds * 1000L);
        deliveries.reset();
        publishing.reset();
        long cpu0 = gauge.cpuNanos();
        long t0 = System.nanoTime();
        sleepUnlessFailed(seconds * 1000L);
        double elapsed = (System.nanoTime() - t0) / 1e9;
        long cpu1 = gauge.cpuNanos();
        if (publishing.failure() != null) {
            throw new IllegalStateException("a publisher failed: " + publishing.failure(), publishing.failure());
        }
        List<Object> figures = new ArrayList<>(List.of("published_per_s", publishing.published.sum() / elapsed));
        if (fleets.isEmpty()) {
            Histogram rtt = publishing.roundTrips();
            figures.addAll(List.of("publish_p50_ms", rtt.getValueAtPercentile(50) / 1e3, "publish_p99_ms", rtt.getValueAtPercentile(99) / 1e3));
        } else {
            figures.addAll(deliveryFigures(elapsed));
        }
        if (gauge.known()) {
            figures.addAll(List.of("server_cpu_pct", (cpu1 - cpu0) / 1e7 / elapsed));
        }
        return figures;
    }

    private List<Object> deliveryFigures(double elapsed) {
        long delivered = deliveries.delivered();
        Histogram latency = deliveries.latencies();
        long bytes = loop.counter().bytesRead() + loop.counter().bytesWritten();
        long deliveredInRun = deliveries.deliveredInRun();
        List<Object> figures = new ArrayList<>(List.of("delivered_per_s", delivered / elapsed));
        if (latency.getTotalCount() > 0) {
            figures.addAll(List.of("p50_ms", ms(latency, 50), "p90_ms", ms(latency, 90), "p99_ms", ms(latency, 99),
                    "max_ms", latency.getMaxValue() / 1e6));
        }
        figures.addAll(List.of(
                "requests_per_delivery", deliveries.requestsPerDelivery(),
                "bytes_per_delivery", deliveredInRun == 0 ? 0.0 : (double) bytes / deliveredInRun,
                "lost", deliveries.lost(), "closed", deliveries.closed(), "connections", loop.counter().connections()));
        return figures;
    }

    /** The value of {@code key} in figures as {@link #measure} returns them. */
    static Object figure(List<Object> figures, String key) {
        return figures.get(figures.indexOf(key) + 1);
    }

    private static double ms(Histogram h, double percentile) {
        return h.getValueAtPercentile(percentile) / 1e6;
    }

    private void sleepUnlessFailed(long millis) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < end && publishing.failure() == null) {
            Thread.sleep(Math.min(100, Math.max(1, end - System.currentTimeMillis())));
        }
    }

    @Override
    public void close() throws InterruptedException {
        publishers.forEach(Publisher::stop);
        for (ChannelFuture p : publisherConnections) {
            p.await(35, TimeUnit.SECONDS); // the last batch's answer, at most a request timeout away
        }
        publisherLoop.close();
        fleets.forEach(Fleet::close);
        loop.close();
    }
}
