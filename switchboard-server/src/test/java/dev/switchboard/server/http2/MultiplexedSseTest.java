package dev.switchboard.server.http2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** HTTP/2's point for push: many SSE streams share one connection instead of one connection each. */
class MultiplexedSseTest {
    private static final int STREAMS = 100;

    @Test
    void hundredSseStreamsOnOneHttp2ConnectionAllReceiveEveryMessage() throws Exception {
        try (TestServer server = TestServer.start(Map.of("store", "memory", "tls-self-signed", "true"));
             HttpClient client = Http2Clients.client(server)) {
            // The first request sets up the one HTTP/2 connection; everything after is a stream on it.
            assertThat(Http2Clients.get(client, server.url() + "/healthz").version()).isEqualTo(HttpClient.Version.HTTP_2);

            List<List<String>> received = new ArrayList<>();
            List<CompletableFuture<HttpResponse<InputStream>>> responses = new ArrayList<>();
            for (int i = 0; i < STREAMS; i++) {
                List<String> data = new CopyOnWriteArrayList<>();
                received.add(data);
                responses.add(client.sendAsync(HttpRequest.newBuilder(URI.create(server.url() + "/v1/topics/fanout-" + (i % 10) + "/events"))
                                .header("accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofInputStream())
                        .thenApply(r -> {
                            Thread.ofVirtual().start(() -> readData(r.body(), data));
                            return r;
                        }));
            }
            for (var r : responses) {
                HttpResponse<InputStream> response = r.get();
                assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
                assertThat(response.statusCode()).isEqualTo(200);
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> Http2Clients.sseSessions(client, server) == STREAMS);

            for (int topic = 0; topic < 10; topic++) {
                for (int n = 1; n <= 3; n++) {
                    assertThat(Http2Clients.post(client, server.url() + "/v1/topics/fanout-" + topic + "/messages",
                            "{\"topic\":" + topic + ",\"n\":" + n + "}").statusCode()).isEqualTo(201);
                }
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> received.stream().allMatch(d -> d.size() == 3));
            for (int i = 0; i < STREAMS; i++) {
                int topic = i % 10;
                assertThat(received.get(i)).containsExactly("{\"topic\":" + topic + ",\"n\":1}",
                        "{\"topic\":" + topic + ",\"n\":2}", "{\"topic\":" + topic + ",\"n\":3}");
            }
            assertThat(Http2Clients.openConnections(client, server)).as("TCP connections for %d streams", STREAMS).isEqualTo(1);
            for (var r : responses) {
                r.get().body().close();
            }
        }
    }

    private static void readData(InputStream body, List<String> data) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("data: ")) {
                    data.add(line.substring("data: ".length()));
                }
            }
        } catch (java.io.IOException e) {
            // the stream was closed: what was read is what counts
        }
    }
}
