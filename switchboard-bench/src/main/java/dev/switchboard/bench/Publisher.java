package dev.switchboard.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Publishes NDJSON batches in a loop, each line {@code {"t":<nanoTime>,"p":"xxx…"}} padded to the
 * message size, so a consumer can tell each message's publish→delivery latency. With a rate, batches
 * are paced on a fixed schedule (late batches are sent at once, not skipped: no coordinated omission
 * on the publishing side); without one, as fast as the server answers.
 */
final class Publisher implements Runnable {
    private final HttpClient http;
    private final URI uri;
    private final int batch;
    private final int messageBytes;
    private final long nanosPerBatch;
    private final Stats stats;
    private volatile boolean stopped;

    /** @param ratePerSecond messages per second for this publisher, 0 for as fast as possible */
    Publisher(HttpClient http, String url, String topic, String durability, int batch, int messageBytes, double ratePerSecond, Stats stats) {
        this.http = http;
        this.uri = URI.create(url + "/v1/topics/" + topic + "/messages?durability=" + durability);
        this.batch = batch;
        this.messageBytes = messageBytes;
        this.nanosPerBatch = ratePerSecond <= 0 ? 0 : (long) (1e9 * batch / ratePerSecond);
        this.stats = stats;
    }

    void stop() {
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
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/x-ndjson")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body(System.nanoTime()))).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() / 100 == 2) {
                    stats.published.add(batch);
                } else {
                    throw new IllegalStateException("publish answered " + r.statusCode());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("publish to " + uri + " failed", e);
            }
        }
    }

    private byte[] body(long sentNanos) {
        String head = "{\"t\":" + sentNanos + ",\"p\":\"";
        String line = head + "x".repeat(Math.max(0, messageBytes - head.length() - 2)) + "\"}\n";
        return line.repeat(batch).getBytes(StandardCharsets.UTF_8);
    }
}
