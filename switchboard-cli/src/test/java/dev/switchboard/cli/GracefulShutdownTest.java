package dev.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM stops the server the way the README says: publishes finish, streams hear why, data is flushed. */
class GracefulShutdownTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;

    @Test
    void sigtermClosesStreamsWithAReasonAndKeepsEveryAcknowledgedPublish() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        List<String> sseLines = new CopyOnWriteArrayList<>();
        Map<Long, String> acked = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        int exit;
        String log;
        try (ServerProcess server = ServerProcess.start(data)) {
            String events = server.url() + "/v1/topics/shutdown-test/events";
            http.sendAsync(HttpRequest.newBuilder(URI.create(events)).header("accept", "text/event-stream").build(),
                    HttpResponse.BodyHandlers.ofLines()).thenAccept(r -> r.body().forEach(sseLines::add));
            await().atMost(Duration.ofSeconds(10)).until(() -> sseLines.stream().anyMatch(l -> l.startsWith("retry:")));

            Thread publisher = Thread.ofVirtual().start(() -> {
                for (int n = 0; !stop.get(); n++) {
                    try {
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/v1/topics/shutdown-test/messages"))
                                .POST(HttpRequest.BodyPublishers.ofString("m" + n)).header("content-type", "text/plain").build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() != 201) {
                            return; // 503 shutting-down: refused, not acknowledged
                        }
                        acked.put(JSON.readTree(r.body()).get("offset").asLong(), "m" + n);
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            await().atMost(Duration.ofSeconds(20)).until(() -> acked.size() >= 50);
            exit = server.terminate();
            stop.set(true);
            publisher.join();
            log = server.log();
        }
        // 143 = 128 + SIGTERM: the JVM ran its shutdown hooks and exited on the signal.
        assertThat(exit).as(log).isIn(0, 143);
        assertThat(log).contains("Switchboard stopped");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(String.join("\n", sseLines)).contains("event: close").contains("server shutting down"));

        try (ServerProcess restarted = ServerProcess.start(data)) {
            for (Map.Entry<Long, String> e : acked.entrySet()) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(restarted.url()
                        + "/v1/topics/shutdown-test/messages?limit=1&after=" + (e.getKey() - 1))).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(JSON.readTree(r.body()).at("/messages/0/data").asText()).isEqualTo(e.getValue());
            }
        }
    }
}
