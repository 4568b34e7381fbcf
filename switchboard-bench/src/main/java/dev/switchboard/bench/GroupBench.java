package dev.switchboard.bench;

import dev.switchboard.bench.wire.ClientLoop;
import dev.switchboard.bench.wire.RequestChain;
import io.netty.channel.ChannelFuture;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The consumer-group scenario: publishers feed one topic, one group of consumers (WebSocket with a
 * prefetch window, or HTTP long-poll fetch) takes and acknowledges every message. Measures, after a
 * warm-up, messages acknowledged per second and publish→delivery latency. Bounded: it stops itself
 * after {@code warmup + seconds}.
 */
public final class GroupBench {

    /**
     * @param rate          messages per second across all publishers; 0 publishes as fast as the server takes them
     * @param maxInFlight   WebSocket prefetch window per consumer
     * @param fetchMax      messages per long-poll fetch
     * @param token         bearer token for a server with auth=jwt, or null
     */
    public record Options(String url, String via, int consumers, int publishers, int seconds, int warmup, double rate, int batch,
            int messageBytes, int maxInFlight, int fetchMax, String durability, String token) {
        public static Options defaults(String url) {
            return new Options(url, "ws", 4, 2, 10, 3, 0, 100, 100, 1000, 100, "sync", null);
        }
    }

    /** The figures of one run; {@code published} and {@code acked} are counted in the measured window only. */
    public record Result(Options options, String topic, double seconds, long published, long acked, long redelivered, long requests,
            Histogram latencyMicros) {
        public double ackedPerSecond() {
            return acked / seconds;
        }

        public double publishedPerSecond() {
            return published / seconds;
        }

        public String json() {
            return String.format(Locale.ROOT, "{\"scenario\":\"groups\",\"via\":\"%s\",\"consumers\":%d,\"durability\":\"%s\",\"rate\":%.0f,"
                    + "\"batch\":%d,\"message_bytes\":%d,\"max_in_flight\":%d,\"fetch_max\":%d,\"seconds\":%.1f,\"published_per_s\":%.0f,"
                    + "\"acked_per_s\":%.0f,\"redelivered\":%d,\"requests_per_message\":%.4f,\"p50_ms\":%.2f,\"p90_ms\":%.2f,\"p99_ms\":%.2f,"
                    + "\"max_ms\":%.2f}", options.via(), options.consumers(), options.durability(), options.rate(), options.batch(),
                    options.messageBytes(), options.maxInFlight(), options.fetchMax(), seconds, publishedPerSecond(), ackedPerSecond(),
                    redelivered, acked == 0 ? 0 : (double) requests / acked, ms(50), ms(90), ms(99), latencyMicros.getMaxValue() / 1000.0);
        }

        public String table() {
            return String.format(Locale.ROOT, """
                    groups via %s: %d consumers, %s publishes%s, %d-byte messages, batches of %d
                      published   %,12.0f msg/s
                      acked       %,12.0f msg/s   (redelivered %d, %.3f requests per message)
                      latency     p50 %.2f ms   p90 %.2f ms   p99 %.2f ms   max %.2f ms
                    """, options.via(), options.consumers(), options.durability(),
                    options.rate() > 0 ? String.format(Locale.ROOT, " at %,.0f msg/s", options.rate()) : " as fast as possible",
                    options.messageBytes(), options.batch(), publishedPerSecond(), ackedPerSecond(), redelivered,
                    acked == 0 ? 0 : (double) requests / acked, ms(50), ms(90), ms(99), latencyMicros.getMaxValue() / 1000.0);
        }

        private double ms(double percentile) {
            return latencyMicros.getValueAtPercentile(percentile) / 1000.0;
        }
    }

    private GroupBench() {}

    public static Result run(Options o) throws Exception {
        if (!o.via().equals("ws") && !o.via().equals("long-poll")) {
            throw new IllegalArgumentException("via must be ws or long-poll, not " + o.via());
        }
        String topic = "bench-groups-" + System.currentTimeMillis();
        String group = "bench";
        Stats stats = new Stats();
        Target target = new Target(o.url(), o.token());
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<Runnable> stops = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().factory());
        ClientLoop publisherLoop = new ClientLoop(1);
        List<ChannelFuture> publishers = new ArrayList<>();
        try {
            for (int i = 0; i < o.consumers(); i++) {
                if (o.via().equals("ws")) {
                    WsGroupClient c = WsGroupClient.open(http, target, topic, group, o.maxInFlight(), stats);
                    flusher.scheduleWithFixedDelay(c::flush, 5, 5, TimeUnit.MILLISECONDS);
                    stops.add(c::close);
                } else {
                    PollGroupClient c = new PollGroupClient(http, target, topic, group, o.fetchMax(), stats);
                    threads.add(Thread.ofVirtual().start(guarded(c, stats)));
                    stops.add(c::stop);
                }
            }
            for (int i = 0; i < o.publishers(); i++) {
                Publisher p = new Publisher(target, new Publisher.Plan(topic, o.durability(), o.batch(), o.messageBytes(), o.rate() / o.publishers()), stats);
                publishers.add(RequestChain.start(publisherLoop, target.uri(""), p, stats::failed));
                stops.add(p::stop);
            }
            sleepUnlessFailed(o.warmup() * 1000L, stats);
            stats.reset();
            long start = System.nanoTime();
            sleepUnlessFailed(o.seconds() * 1000L, stats);
            double seconds = (System.nanoTime() - start) / 1e9;
            Result result = new Result(o, topic, seconds, stats.published.sum(), stats.acked.sum(), stats.redelivered.sum(),
                    stats.requests.sum(), stats.latencies());
            if (stats.failure() != null) {
                throw new IllegalStateException("a client failed during the run: " + stats.failure(), stats.failure());
            }
            return result;
        } finally {
            stops.forEach(Runnable::run);
            flusher.shutdownNow();
            for (Thread t : threads) {
                t.join(35_000);
            }
            for (ChannelFuture p : publishers) {
                p.await(35, TimeUnit.SECONDS);
            }
            publisherLoop.close();
        }
    }

    /** {@code java -cp … dev.switchboard.bench.GroupBench URL [ws|long-poll] [rate] [seconds]}: prints the table and one JSON line. */
    public static void main(String[] args) throws Exception {
        Options d = Options.defaults(args.length > 0 ? args[0] : "http://127.0.0.1:8080");
        Options o = new Options(d.url(), args.length > 1 ? args[1] : d.via(), d.consumers(), d.publishers(),
                args.length > 3 ? Integer.parseInt(args[3]) : d.seconds(), d.warmup(), args.length > 2 ? Double.parseDouble(args[2]) : d.rate(),
                d.batch(), d.messageBytes(), d.maxInFlight(), d.fetchMax(), d.durability(), System.getenv("SWITCHBOARD_TOKEN"));
        Result r = run(o);
        System.out.print(r.table());
        System.out.println(r.json());
    }

    private static Runnable guarded(Runnable r, Stats stats) {
        return () -> {
            try {
                r.run();
            } catch (RuntimeException e) {
                stats.failed(e);
            }
        };
    }

    private static void sleepUnlessFailed(long millis, Stats stats) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < end && stats.failure() == null) {
            Thread.sleep(Math.min(100, Math.max(1, end - System.currentTimeMillis())));
        }
    }
}
