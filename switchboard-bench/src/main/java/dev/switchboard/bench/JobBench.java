package dev.switchboard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.bench.server.DataFolders;
import dev.switchboard.bench.wire.ClientLoop;
import dev.switchboard.bench.wire.RequestChain;
import dev.switchboard.core.config.ConfigLoader;
import dev.switchboard.core.jobs.JobHandler;
import dev.switchboard.core.jobs.JobRequest;
import dev.switchboard.core.store.Submitted;
import dev.switchboard.server.SwitchboardServer;
import io.netty.channel.ChannelFuture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * The jobs scenario, in three modes: {@code in-process} — clients submit no-op jobs over HTTP and Java
 * handlers inside an embedded server run them; {@code embedded} — the application itself submits
 * through the Java API ({@code server.jobs().submit}, or {@code submitAll} with a batch) to its own handlers,
 * no HTTP at all; {@code remote} — clients submit over HTTP and HTTP workers claim (long poll) and complete
 * them. With {@code batch} above 1 each submit carries that many jobs (NDJSON over HTTP). The HTTP clients are
 * {@link RequestChain}s on one event loop ({@link JobSubmitter}, {@link RemoteWorker}), so the generator
 * leaves the shared cores to the server. Measures jobs completed per second after a warm-up and, from the
 * job records, submit→complete latency ({@code updated − created}, millisecond resolution). Bounded in time.
 */
public final class JobBench {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param url      the server for {@code remote}; {@code in-process} starts its own (SQLite in a temp dir)
     * @param rate     jobs per second across submitters; 0 submits as fast as the server answers
     * @param workers  in-process handler threads or remote worker loops
     * @param token    bearer token sent with every HTTP call (a server with auth=jwt), or null
     * @param postgresUrl for the modes that start their own server: PostgreSQL instead of SQLite (null: SQLite)
     * @param claimMax remote workers claim up to this many jobs per request ({@code max=N}; 1: the plain claim)
     * @param batch    jobs per submit: an NDJSON batch over HTTP, {@code submitAll} in Java (1: one job, the single form)
     */
    public record Options(String mode, String url, int submitters, int workers, int seconds, int warmup, double rate, String postgresUrl,
            String token, int claimMax, int batch) {
        public static Options defaults() {
            return new Options("in-process", null, 64, 64, 10, 3, 0, null, null, 1, 1);
        }
    }

    public record Result(Options options, double seconds, long submitted, long completed, Histogram latencyMillis) {
        public double completedPerSecond() {
            return completed / seconds;
        }

        public String json() {
            return String.format(Locale.ROOT, "{\"scenario\":\"jobs\",\"mode\":\"%s\",\"store\":\"%s\",\"submitters\":%d,\"workers\":%d,\"claim_max\":%d,\"batch\":%d,\"rate\":%.0f,"
                    + "\"seconds\":%.1f,\"submitted_per_s\":%.0f,\"completed_per_s\":%.0f,\"latency_samples\":%d,\"p50_ms\":%d,\"p99_ms\":%d,"
                    + "\"max_ms\":%d}", options.mode(), options.postgresUrl() == null ? (options.mode().equals("remote") ? "server's" : "sqlite")
                    : "postgres", options.submitters(), options.workers(), options.claimMax(), options.batch(), options.rate(), seconds,
                    submitted / seconds, completedPerSecond(), latencyMillis.getTotalCount(), latencyMillis.getValueAtPercentile(50),
                    latencyMillis.getValueAtPercentile(99), latencyMillis.getMaxValue());
        }

        public String table() {
            return String.format(Locale.ROOT, """
                    jobs %s%s: %d submitters%s, %d workers%s, %s
                      submitted   %,10.0f jobs/s
                      completed   %,10.0f jobs/s
                      submit→complete  p50 %d ms   p99 %d ms   max %d ms   (%d jobs sampled)
                    """, options.mode(), options.postgresUrl() == null ? "" : " on PostgreSQL", options.submitters(),
                    options.batch() > 1 ? " submitting " + options.batch() + " jobs per request" : "", options.workers(),
                    options.claimMax() > 1 ? " claiming up to " + options.claimMax() + " per request" : "", options.rate() > 0 ? String.format(Locale.ROOT, "%,.0f jobs/s offered", options.rate()) : "as fast as possible",
                    submitted / seconds, completedPerSecond(), latencyMillis.getValueAtPercentile(50), latencyMillis.getValueAtPercentile(99),
                    latencyMillis.getMaxValue(), latencyMillis.getTotalCount());
        }
    }

    private JobBench() {}

    public static Result run(Options o) throws Exception {
        boolean embedded = o.mode().equals("embedded");
        boolean inProcess = embedded || o.mode().equals("in-process");
        if (!inProcess && !o.mode().equals("remote")) {
            throw new IllegalArgumentException("mode must be in-process, embedded or remote, not " + o.mode());
        }
        Path data = inProcess ? DataFolders.create("switchboard-jobbench") : null;
        Map<String, String> settings = o.postgresUrl() == null ? Map.of("port", "0", "data", data == null ? "" : data.toString())
                : Map.of("port", "0", "data", data == null ? "" : data.toString(), "store", "postgres", "postgres-url", o.postgresUrl());
        SwitchboardServer server = inProcess ? SwitchboardServer.start(ConfigLoader.load(settings, Map.of())) : null;
        Target target = new Target(inProcess ? server.url() : o.url(), o.token());
        String type = "bench-" + System.currentTimeMillis();
        Stats stats = new Stats();
        LongAdder completed = new LongAdder();
        ConcurrentLinkedQueue<String> ids = new ConcurrentLinkedQueue<>();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<Thread> threads = new ArrayList<>();
        List<ChannelFuture> conversations = new ArrayList<>();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicBoolean measuring = new AtomicBoolean(false);
        // One event loop for every HTTP client: 128 connections each waiting for an answer need no more.
        try (ClientLoop loop = new ClientLoop(1)) {
            URI address = URI.create(target.url());
            if (inProcess) {
                server.jobs().handle(type, o.workers(), job -> {
                    completed.increment();
                    return (JobHandler.JobResult) null;
                });
            } else {
                for (int i = 0; i < o.workers(); i++) {
                    conversations.add(RequestChain.start(loop, address, new RemoteWorker(target, type, o.claimMax(), running, completed), stats::failed));
                }
            }
            long nanosPerJob = o.rate() <= 0 ? 0 : (long) (1e9 * o.submitters() / o.rate());
            for (int i = 0; i < o.submitters(); i++) {
                if (embedded) {
                    threads.add(Thread.ofVirtual().start(() -> submitInJava(server.jobs(), type, o.batch(), nanosPerJob, running, measuring, ids,
                            stats)));
                } else {
                    conversations.add(RequestChain.start(loop, address, new JobSubmitter(target, type, o.batch(), nanosPerJob, running, measuring,
                            ids, stats), stats::failed));
                }
            }
            Thread.sleep(o.warmup() * 1000L);
            long c0 = completed.sum();
            stats.reset();
            measuring.set(true);
            long start = System.nanoTime();
            Thread.sleep(o.seconds() * 1000L);
            measuring.set(false);
            double seconds = (System.nanoTime() - start) / 1e9;
            long done = completed.sum() - c0;
            long submitted = stats.published.sum();
            running.set(false);
            for (Thread t : threads) {
                t.join(35_000);
            }
            for (ChannelFuture c : conversations) {
                c.await(35, TimeUnit.SECONDS); // a worker's last long-poll claim ends within its wait (1 s)
            }
            if (stats.failure() != null) {
                throw new IllegalStateException("a client failed during the run: " + stats.failure(), stats.failure());
            }
            return new Result(o, seconds, submitted, done, latencies(http, target, ids));
        } finally {
            running.set(false);
            if (server != null) {
                server.shutdown();
            }
            if (data != null) {
                DataFolders.delete(data);
            }
        }
    }

    /** Submits one job at a time ({@code batch} 1) or {@code submitAll} of {@code batch}. */
    private static void submitInJava(dev.switchboard.core.jobs.Jobs jobs, String type, int batch, long nanosPerJob,
            AtomicBoolean running, AtomicBoolean measuring,
            ConcurrentLinkedQueue<String> ids, Stats stats) {
        byte[] payload = "{\"n\":1}".getBytes(StandardCharsets.UTF_8);
        JobRequest job = new JobRequest(type, "application/json", payload, null, null, null, null);
        List<JobRequest> requests = Collections.nCopies(batch, job);
        long next = System.nanoTime();
        try {
            while (running.get()) {
                if (nanosPerJob > 0) {
                    LockSupport.parkNanos(next - System.nanoTime());
                    next += nanosPerJob * batch;
                }
                List<Submitted> submitted = batch == 1 ? List.of(jobs.submit(job).join()) : jobs.submitAll(requests).join();
                if (measuring.get()) {
                    for (Submitted s : submitted) {
                        stats.published.increment();
                        ids.add(s.job().id());
                    }
                }
            }
        } catch (Exception e) {
            if (running.get()) {
                stats.failed(e);
            }
        }
    }

    /** submit→complete of up to 5,000 jobs submitted in the window, from their records. */
    private static Histogram latencies(HttpClient http, Target url, ConcurrentLinkedQueue<String> ids) throws Exception {
        Histogram h = new Histogram(3);
        List<String> all = new ArrayList<>(ids);
        int step = Math.max(1, all.size() / 5_000);
        long deadline = System.currentTimeMillis() + 30_000;
        for (int i = 0; i < all.size(); i += step) {
            JsonNode job = JSON.readTree(http.send(url.request("/v1/jobs/" + all.get(i) + "?wait=10s")
                    .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString()).body());
            if (job.path("status").asText().equals("succeeded")) {
                h.recordValue(Math.max(0, Instant.parse(job.get("updated").asText()).toEpochMilli()
                        - Instant.parse(job.get("created").asText()).toEpochMilli()));
            }
            if (System.currentTimeMillis() > deadline) {
                break;
            }
        }
        return h;
    }

    /** {@code java -cp … dev.switchboard.bench.JobBench [in-process|remote] [rate] [seconds] [url]}. */
    public static void main(String[] args) throws Exception {
        Options d = Options.defaults();
        Options o = new Options(args.length > 0 ? args[0] : d.mode(), args.length > 3 ? args[3] : d.url(), d.submitters(), d.workers(),
                args.length > 2 ? Integer.parseInt(args[2]) : d.seconds(), d.warmup(), args.length > 1 ? Double.parseDouble(args[1]) : d.rate(), null,
                System.getenv("SWITCHBOARD_TOKEN"), d.claimMax(), d.batch());
        Result r = run(o);
        System.out.print(r.table());
        System.out.println(r.json());
        System.exit(0); // the embedded server's non-daemon threads must not keep a finished run alive
    }
}
