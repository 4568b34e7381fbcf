package dev.switchboard.server.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.server.TestServer;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL going away under load and coming back: publishes during the outage are refused with a
 * clear 503 (not hung, not a 500), publishing resumes by itself when the database is back, no
 * acknowledged publish is lost, and the other node's LISTEN comes back and catches up, so its SSE
 * subscriber gets everything published after the restart — also what was committed before that node
 * listened again (notifications sent while it did not listen are lost, so it reads them from the store).
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
            AtomicBoolean stopFollowing = new AtomicBoolean();
            List<Long> seenOnB = new CopyOnWriteArrayList<>();
            Thread sse = Thread.ofVirtual().start(() -> follow(b.url(), topic, seenOnB, stopFollowing));
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
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(seenOnB.isEmpty() ? 0 : seenOnB.getLast())
                    .as("node B's LISTEN came back: its SSE subscriber got up to the last offset (%d events seen)", seenOnB.size())
                    .isEqualTo(last));
            stopFollowing.set(true);
            sse.join(5_000);
        }
    }

    /** An SSE subscriber that reconnects with Last-Event-ID whenever its stream ends, as EventSource does. */
    private static void follow(String url, String topic, List<Long> seen, AtomicBoolean stop) {
        while (!stop.get()) {
            HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(url + "/v1/topics/" + topic + "/events?after=0"));
            if (!seen.isEmpty()) {
                req.header("Last-Event-ID", Long.toString(seen.getLast()));
            }
            try {
                HttpResponse<InputStream> r = HTTP.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
                try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                    for (String line; !stop.get() && (line = in.readLine()) != null; ) {
                        if (line.startsWith("id: ")) {
                            seen.add(Long.parseLong(line.substring(4).trim()));
                        }
                    }
                }
            } catch (Exception e) {
                // the stream broke: reconnect, as a browser would
            }
            if (!stop.get()) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
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
