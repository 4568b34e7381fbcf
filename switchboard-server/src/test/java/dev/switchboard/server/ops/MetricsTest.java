package dev.switchboard.server.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.server.TestServer;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code /metrics} reports what the issue promises: traffic by transport and the store's group commits. */
class MetricsTest {
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void metricsCountSessionsDeliveriesByTransportAndStoreCommits() throws Exception {
        try (TestServer server = TestServer.start(Map.of())) {
            HttpResponse<InputStream> sse = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/v1/topics/metered/events"))
                    .header("accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofInputStream());
            await().atMost(Duration.ofSeconds(10)).until(() -> value(scrape(server), "switchboard_sessions{transport=\"sse\"}") == 1);

            for (int i = 0; i < 5; i++) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/v1/topics/metered/messages"))
                        .POST(HttpRequest.BodyPublishers.ofString("m" + i)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(201);
            }

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                String text = scrape(server);
                assertThat(value(text, "switchboard_publishes_total{transport=\"http\"}")).isEqualTo(5);
                assertThat(value(text, "switchboard_deliveries_total{transport=\"sse\"}")).isEqualTo(5);
                assertThat(value(text, "switchboard_store_commit_batch_messages_count")).isGreaterThanOrEqualTo(1);
                assertThat(value(text, "switchboard_store_commit_batch_messages_sum")).isEqualTo(5);
                assertThat(value(text, "switchboard_store_commit_seconds_count")).isGreaterThanOrEqualTo(1);
                assertThat(value(text, "switchboard_connections_open")).isGreaterThanOrEqualTo(1);
            });
            sse.body().close();
            await().atMost(Duration.ofSeconds(10)).until(() -> value(scrape(server), "switchboard_sessions{transport=\"sse\"}") == 0);
        }
    }

    private String scrape(TestServer server) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    /** The value of one series in the Prometheus text format; fails when the series is missing. */
    private static double value(String text, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
        assertThat(m.find()).as("series %s in:%n%s", series, text).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
