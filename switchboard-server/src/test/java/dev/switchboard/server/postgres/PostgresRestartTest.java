package dev.switchboard.server.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.server.TestServer;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL going away under load and coming back: publishes during the outage are refused with a
 * clear 503 (not hung, not a 500), publishing resumes by itself when the database is back, no
 * acknowledged publish is lost, and the other node is back on the database too.
 */
class PostgresRestartTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void publishingResumesAfterARestartWithNothingAcknowledgedLost() throws Exception {
        try (ThrowawayPostgres pg = ThrowawayPostgres.start();
             TestServer a = TestServer.start(Map.of("store", "postgres", "postgres-url", pg.url()));
             TestServer b = TestServer.start(Map.of("store", "postgres", "postgres-url", pg.url()))) {
            String topic = "restart";
            Map<Long, String> acked = new ConcurrentHashMap<>();
            Set<String> refusals = ConcurrentHashMap.newKeySet();
            AtomicInteger refused = new AtomicInteger();
            AtomicInteger afterRestart = new AtomicInteger();
            AtomicBoolean restarted = new AtomicBoolean();
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> publishers = new ArrayList<>();
            for (int p = 0; p < 4; p++) {
                int publisher = p;
                publishers.add(Thread.ofVirtual().start(() -> {
                    for (int n = 0; !stop.get(); n++) {
                        String payload = "p" + publisher + "-" + n;
                        try {
                            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(a.url() + "/v1/topics/" + topic + "/messages"))
                                    .timeout(Duration.ofSeconds(30)).header("Content-Type", "text/plain")
                                    .POST(HttpRequest.BodyPublishers.ofString(payload)).build(), HttpResponse.BodyHandlers.ofString());
                            if (r.statusCode() == 201) {
                                acked.put(JSON.readTree(r.body()).get("offset").asLong(), payload);
                                if (restarted.get()) {
                                    afterRestart.incrementAndGet();
                                }
                            } else {
                                refused.incrementAndGet();
                                refusals.add(r.statusCode() + " " + JSON.readTree(r.body()).get("code").asText());
                                Thread.sleep(20); // a client backing off before it retries
                            }
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }
                }));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> acked.size() >= 200);

            pg.stop();
            await().atMost(Duration.ofSeconds(30)).until(() -> refused.get() >= 20);
            pg.startAgain();
            restarted.set(true);
            await().atMost(Duration.ofSeconds(60)).until(() -> afterRestart.get() >= 200);
            stop.set(true);
            for (Thread t : publishers) {
                t.join(30_000);
            }

            assertThat(refusals).as("refused during the outage with a clear, retryable answer").containsOnly("503 store-unavailable");
            List<JsonNode> stored = readAll(a.url(), topic);
            Map<Long, String> byOffset = new ConcurrentHashMap<>();
            stored.forEach(m -> byOffset.put(m.get("offset").asLong(), m.get("data").asText()));
            acked.forEach((offset, payload) -> assertThat(byOffset.get(offset)).as("acknowledged offset %d", offset).isEqualTo(payload));
            long last = stored.getLast().get("offset").asLong();
            JsonNode onB = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(b.url() + "/v1/topics/" + topic)).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            assertThat(onB.get("last").asLong()).as("node B is back on the database too and sees the last offset").isEqualTo(last);
        }
    }

    private static List<JsonNode> readAll(String url, String topic) throws Exception {
        List<JsonNode> all = new ArrayList<>();
        long after = 0;
        while (true) {
            JsonNode page = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(url + "/v1/topics/" + topic + "/messages?after=" + after
                    + "&limit=1000")).build(), HttpResponse.BodyHandlers.ofString()).body());
            if (page.get("messages").isEmpty()) {
                return all;
            }
            page.get("messages").forEach(all::add);
            after = page.get("next").asLong();
        }
    }
}
