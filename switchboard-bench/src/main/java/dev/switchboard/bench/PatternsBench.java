package dev.switchboard.bench;

import dev.switchboard.bench.result.ScenarioResult;
import dev.switchboard.bench.server.ServerSource;
import dev.switchboard.bench.server.ServerUnderTest;
import dev.switchboard.bench.wire.Subscriber;
import dev.switchboard.bench.wire.Subscribers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The same topic read by every delivery pattern in turn: {@code subscribers} clients short-polling
 * every second and every 100 ms, long-polling, on SSE and on WebSocket, while one publisher sends
 * {@code rate} messages/s of {@code messageBytes}, {@code batch} per request (1: a request per message,
 * what the latency figures assume; more: NDJSON batches, for rates one publisher's round trips cannot carry). Per pattern: what arrives, how late, and what it costs
 * (requests and wire bytes per delivered message, server CPU).
 */
public record PatternsBench(String token, int subscribers, double rate, int batch, int messageBytes, String durability, List<String> patterns,
        int warmup, int seconds) implements Scenario {
    /** Pattern name → how one subscriber of it opens on a topic. */
    public static final Map<String, BiFunction<Subscribers, String, Subscriber>> PATTERNS = openers();

    public static PatternsBench defaults() {
        return new PatternsBench(null, 100, 200, 1, 100, "async", List.copyOf(PATTERNS.keySet()), 2, 5);
    }

    private static Map<String, BiFunction<Subscribers, String, Subscriber>> openers() {
        Map<String, BiFunction<Subscribers, String, Subscriber>> m = new LinkedHashMap<>();
        m.put("short-poll-1s", (s, topic) -> s.poll(topic, Duration.ofSeconds(1)));
        m.put("short-poll-100ms", (s, topic) -> s.poll(topic, Duration.ofMillis(100)));
        m.put("long-poll", (s, topic) -> s.poll(topic, null));
        m.put("sse", (s, topic) -> s.sse(topic, -1));
        m.put("ws", (s, topic) -> s.ws(topic, -1));
        return m;
    }

    @Override
    public ScenarioResult run(ServerSource servers) throws Exception {
        for (String p : patterns) {
            if (!PATTERNS.containsKey(p)) {
                throw new IllegalArgumentException("unknown pattern '" + p + "': use " + String.join(", ", PATTERNS.keySet()));
            }
        }
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be at least 1: " + batch);
        }
        ScenarioResult result = ScenarioResult.start("patterns", Map.of("subscribers", subscribers, "rate", rate, "batch", batch,
                "message_bytes", messageBytes, "durability", durability, "warmup_s", warmup, "seconds", seconds));
        try (ServerUnderTest server = servers.start()) {
            for (String pattern : patterns) {
                String topic = "bench-patterns-" + pattern + "-" + System.currentTimeMillis();
                try (DeliveryRun run = new DeliveryRun(new Target(server.url(), token))) {
                    run.subscribe(subscribers, i -> PATTERNS.get(pattern).apply(run.subscribers(), topic));
                    run.publish(new Publisher.Plan(topic, durability, batch, messageBytes, rate), null, 0);
                    List<Object> row = new ArrayList<>(List.of("pattern", pattern, "subscribers", subscribers));
                    row.addAll(run.measure(warmup, seconds, server.gauge()));
                    result.add(row.toArray());
                }
            }
        }
        return result;
    }
}
