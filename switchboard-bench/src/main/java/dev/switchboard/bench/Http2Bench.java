package dev.switchboard.bench;

import dev.switchboard.bench.result.ScenarioResult;
import dev.switchboard.bench.server.ServerSource;
import dev.switchboard.bench.server.ServerUnderTest;
import dev.switchboard.bench.wire.H2cConnection;
import dev.switchboard.bench.wire.Subscriber;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * {@code streams} SSE streams from one client: over HTTP/1.1 (one connection each) and over h2c (all
 * on one connection). Time to first delivery: each stream starts at {@code after=0} of a topic holding
 * one message, so its first event is that message; measured from when the bench starts opening the
 * streams. Then deliveries/s with a publisher as fast as the slowest stream keeps up.
 */
public record Http2Bench(String token, int streams, int batch, int window, int warmup, int seconds) implements Scenario {
    public static Http2Bench defaults() {
        return new Http2Bench(null, 100, 100, 2_000, 2, 5);
    }

    @Override
    public ScenarioResult run(ServerSource servers) throws Exception {
        ScenarioResult result = ScenarioResult.start("http2", Map.of("streams", streams, "batch", batch, "window", window, "durability", "async",
                "warmup_s", warmup, "seconds", seconds));
        try (ServerUnderTest server = servers.start()) {
            Target target = new Target(server.url(), token);
            for (String protocol : List.of("http/1.1", "h2c")) {
                String topic = "bench-http2-" + protocol.replace('/', '-') + "-" + System.currentTimeMillis();
                publishOne(target, topic);
                try (DeliveryRun run = new DeliveryRun(target)) {
                    long start = System.nanoTime();
                    H2cConnection h2 = protocol.equals("h2c") ? run.subscribers().h2c() : null;
                    Fleet fleet = run.subscribe(streams, i -> h2 == null ? run.subscribers().sse(topic, 0) : h2.sse(topic, 0));
                    Histogram firstDelivery = firstDeliveries(fleet, start);
                    run.publish(new Publisher.Plan(topic, "async", batch, 100, 0), fleet, window);
                    List<Object> row = new ArrayList<>(List.of("protocol", protocol, "streams", streams,
                            "first_delivery_p50_ms", firstDelivery.getValueAtPercentile(50) / 1e6,
                            "first_delivery_max_ms", firstDelivery.getMaxValue() / 1e6));
                    row.addAll(run.measure(warmup, seconds, server.gauge()));
                    result.add(row.toArray());
                    if (h2 != null) {
                        h2.close();
                    }
                }
            }
        }
        return result;
    }

    /** Waits (up to 10 s) until every stream has its first event; returns the times from {@code start}. */
    private static Histogram firstDeliveries(Fleet fleet, long start) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (fleet.members().stream().anyMatch(s -> s.cursor().firstDeliveryNanos() == 0)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not every stream received the topic's first message within 10 s");
            }
            Thread.sleep(5);
        }
        Histogram h = new Histogram(3);
        for (Subscriber s : fleet.members()) {
            h.recordValue(Math.max(0, s.cursor().firstDeliveryNanos() - start));
        }
        return h;
    }

    private static void publishOne(Target target, String topic) throws Exception {
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            HttpResponse<String> r = http.send(target.request("/v1/topics/" + topic + "/messages").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"t\":0,\"p\":\"first\"}")).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 201) {
                throw new IllegalStateException("publishing the first message answered " + r.statusCode() + ": " + r.body());
            }
        }
    }
}
