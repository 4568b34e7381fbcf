package dev.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The promise behind {@code durability=sync}: every publish that got a 2xx survives a SIGKILL of the
 * server, exactly once, at the offset it was given, in order.
 */
class CrashRecoveryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOPIC = "crash-test";
    private static final int PUBLISHERS = 8;

    @TempDir
    Path data;

    @Test
    void everyAcknowledgedPublishSurvivesSigkillOnceAndInOrder() throws Exception {
        Map<Long, String> acked = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        try (ServerProcess server = ServerProcess.start(data)) {
            HttpClient http = HttpClient.newHttpClient();
            List<Thread> publishers = new ArrayList<>();
            for (int p = 0; p < PUBLISHERS; p++) {
                int publisher = p;
                publishers.add(Thread.ofVirtual().start(() -> publishUntilFailure(http, server.url(), publisher, stop, acked)));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> acked.size() >= 1500);
            server.kill();
            stop.set(true);
            for (Thread t : publishers) {
                t.join();
            }
        }
        assertThat(acked).hasSizeGreaterThanOrEqualTo(1500);

        try (ServerProcess restarted = ServerProcess.start(data)) {
            List<JsonNode> stored = readAll(restarted.url());
            for (int i = 0; i < stored.size(); i++) {
                assertThat(stored.get(i).get("offset").asLong()).as("offsets are gap-free").isEqualTo(i + 1L);
            }
            Map<Long, String> byOffset = new java.util.HashMap<>();
            List<String> payloads = new ArrayList<>();
            for (JsonNode m : stored) {
                byOffset.put(m.get("offset").asLong(), m.get("data").asText());
                payloads.add(m.get("data").asText());
            }
            acked.forEach((offset, payload) -> assertThat(byOffset.get(offset))
                    .as("acknowledged offset %d", offset).isEqualTo(payload));
            assertThat(payloads).as("no message stored twice").doesNotHaveDuplicates();
            // Within one publisher, offsets follow the order the publisher sent in.
            for (int p = 0; p < PUBLISHERS; p++) {
                String prefix = "p" + p + "-";
                List<Integer> sequence = payloads.stream().filter(s -> s.startsWith(prefix))
                        .map(s -> Integer.parseInt(s.substring(prefix.length()))).toList();
                assertThat(sequence).isSorted();
            }
        }
    }

    private static void publishUntilFailure(HttpClient http, String url, int publisher, AtomicBoolean stop,
                                            Map<Long, String> acked) {
        for (int n = 0; !stop.get(); n++) {
            String payload = "p" + publisher + "-" + n;
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/v1/topics/" + TOPIC + "/messages"))
                        .header("content-type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(payload)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() / 100 != 2) {
                    return;
                }
                acked.put(JSON.readTree(r.body()).get("offset").asLong(), payload);
            } catch (Exception e) {
                return; // the server died under us: this publish was not acknowledged
            }
        }
    }

    private static List<JsonNode> readAll(String url) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        List<JsonNode> all = new ArrayList<>();
        long after = 0;
        while (true) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                    URI.create(url + "/v1/topics/" + TOPIC + "/messages?after=" + after + "&limit=1000")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            JsonNode page = JSON.readTree(r.body());
            if (page.get("messages").isEmpty()) {
                return all;
            }
            page.get("messages").forEach(all::add);
            after = page.get("next").asLong();
        }
    }
}
