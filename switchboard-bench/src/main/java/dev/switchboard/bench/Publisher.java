package dev.switchboard.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Publishes NDJSON batches in a loop, each line {@code {"t":<nanoTime>,"p":"xxx…"}} padded to the
 * message size, so a consumer can tell each message's publish→delivery latency. With a rate, batches
 * are paced on a fixed schedule (late batches are sent at once, not skipped: no coordinated omission
 * on the publishing side); without one, as fast as the server answers — or, when {@link #gate gated},
 * as fast as the slowest subscriber keeps up within a window (a fan-out run that outruns its
 * subscribers measures slow-consumer closes, not fan-out).
 */
public final class Publisher implements Runnable {
    /** @param ratePerSecond messages per second for this publisher, 0 for as fast as possible */
    public record Plan(String topic, String durability, int batch, int messageBytes, double ratePerSecond) {}

    private final HttpClient http;
    private final HttpRequest.Builder request;
    private final Plan plan;
    private final long nanosPerBatch;
    private final Stats stats;
    private final AtomicLong acknowledged = new AtomicLong();
    private LongSupplier slowest;
    private long window;
    private volatile boolean stopped;

    public Publisher(HttpClient http, Target target, Plan plan, Stats stats) {
        this.http = http;
        this.request = target.request("/v1/topics/" + plan.topic() + "/messages?durability=" + plan.durability())
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/x-ndjson");
        this.plan = plan;
        this.nanosPerBatch = plan.ratePerSecond() <= 0 ? 0 : (long) (1e9 * plan.batch() / plan.ratePerSecond());
        this.stats = stats;
    }

    /**
     * Holds each batch until the slowest subscriber is at most {@code window} messages behind; only
     * for a fresh topic with this one publisher, whose offsets are then 1, 2, 3, … as acknowledged.
     */
    public Publisher gate(LongSupplier slowestOffset, long window) {
        this.slowest = slowestOffset;
        this.window = window;
        return this;
    }

    public void stop() {
        stopped = true;
    }

    @Override
    public void run() {
        long next = System.nanoTime();
        while (!stopped) {
            if (nanosPerBatch > 0) {
                LockSupport.parkNanos(next - System.nanoTime());
                next += nanosPerBatch;
            }
            while (slowest != null && !stopped && acknowledged.get() - slowest.getAsLong() > window) {
                LockSupport.parkNanos(50_000);
            }
            try {
                long sent = System.nanoTime();
                HttpResponse<Void> r = http.send(request.copy().POST(HttpRequest.BodyPublishers.ofByteArray(body(sent))).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() / 100 != 2) {
                    throw new IllegalStateException("publish to " + plan.topic() + " answered " + r.statusCode());
                }
                acknowledged.addAndGet(plan.batch());
                stats.published(plan.batch(), System.nanoTime() - sent);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (IOException e) {
                throw new UncheckedIOException("publish to " + plan.topic() + " failed", e);
            }
        }
    }

    private byte[] body(long sentNanos) {
        String head = "{\"t\":" + sentNanos + ",\"p\":\"";
        String line = head + "x".repeat(Math.max(0, plan.messageBytes() - head.length() - 2)) + "\"}\n";
        return line.repeat(plan.batch()).getBytes(StandardCharsets.UTF_8);
    }
}
