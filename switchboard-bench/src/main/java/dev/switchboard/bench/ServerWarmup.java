package dev.switchboard.bench;

import dev.switchboard.bench.wire.Subscribers;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Traffic that makes a fresh server touch its heap before {@link ConnectionsBench} reads its memory, so
 * the per-connection figure is what connections cost a server that has served something, not the JVM
 * touching its young generation for the first time. In order: opens and closes
 * {@value #CONNECTIONS} connections of the transport measured (its handlers, sessions and subscriptions
 * are made and dropped once); publishes {@value #MESSAGES} messages of {@value #MESSAGE_BYTES} bytes
 * to a throwaway topic; then {@value #READERS} readers fetch them ({@code after=0&limit=1000}, about
 * 1 MiB of JSON an answer) for the given seconds. Each answer is copied into a new heap buffer, so the
 * server allocates at least the bytes read: {@link #run} returns them, to show they are many young
 * generations (32 MiB on the bench's servers).
 */
final class ServerWarmup {
    static final int CONNECTIONS = 1_000;
    private static final int MESSAGES = 1_000;
    private static final int MESSAGE_BYTES = 1_000;
    private static final int BATCH = 100;
    private static final int READERS = 2;

    private final Target target;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    ServerWarmup(Target target) {
        this.target = target;
    }

    /** @return bytes the readers got */
    long run(Subscribers subscribers, String transport, int seconds) throws InterruptedException {
        String topic = "bench-warmup-" + transport + "-" + System.currentTimeMillis();
        try (Fleet batch = Fleet.open(CONNECTIONS, i -> Transports.open(subscribers, transport, topic, -1))) {
            // opened and confirmed: closed here
        }
        for (int i = 0; i < MESSAGES / BATCH; i++) {
            publishBatch(topic);
        }
        long until = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        AtomicLong read = new AtomicLong();
        List<Thread> readers = new ArrayList<>();
        for (int i = 0; i < READERS; i++) {
            readers.add(Thread.ofVirtual().name("bench-warmup-reader").start(() -> {
                try {
                    while (System.nanoTime() < until) {
                        read.addAndGet(readAll(topic));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        for (Thread t : readers) {
            t.join();
        }
        return read.get();
    }

    private void publishBatch(String topic) throws InterruptedException {
        String line = "{\"p\":\"" + "x".repeat(MESSAGE_BYTES - 9) + "\"}\n";
        HttpRequest request = target.request("/v1/topics/" + topic + "/messages?durability=async")
                .header("Content-Type", "application/x-ndjson").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(line.repeat(BATCH), StandardCharsets.UTF_8)).build();
        int status = send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status / 100 != 2) {
            throw new IllegalStateException("warm-up publish to " + topic + " answered " + status);
        }
    }

    private long readAll(String topic) throws InterruptedException {
        HttpRequest request = target.request("/v1/topics/" + topic + "/messages?after=0&limit=" + MESSAGES).timeout(Duration.ofSeconds(30)).build();
        HttpResponse<InputStream> r = send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = r.body()) {
            if (r.statusCode() != 200) {
                throw new IllegalStateException("warm-up read of " + topic + " answered " + r.statusCode());
            }
            return body.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new UncheckedIOException("warm-up read of " + topic + " failed", e);
        }
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body) throws InterruptedException {
        try {
            return http.send(request, body);
        } catch (IOException e) {
            throw new UncheckedIOException("warm-up request " + request.uri() + " failed", e);
        }
    }
}
