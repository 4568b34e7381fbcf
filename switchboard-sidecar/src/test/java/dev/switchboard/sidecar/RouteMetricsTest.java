package dev.switchboard.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Request metrics by method, route and status, with a route label that stays bounded. */
class RouteMetricsTest {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private TestUpstream app;
    private Sidecar sidecar;

    private void start(List<String> prefixes) throws Exception {
        app = TestUpstream.start();
        sidecar = Sidecar.start(SidecarConfig.of(URI.create(app.url())).withRoutePrefixes(prefixes).withPorts(0, 0));
    }

    @AfterEach
    void stop() {
        sidecar.shutdown();
        app.close();
    }

    private void send(String method, String path) throws Exception {
        http.send(HttpRequest.newBuilder(URI.create(sidecar.url() + path)).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.discarding());
    }

    private String metrics() throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(sidecar.controlUrl() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void requestsAreCountedByMethodFirstSegmentAndStatusAndTimed() throws Exception {
        start(List.of());
        send("GET", "/users/1?x=y");
        send("GET", "/users/2");
        send("POST", "/users/3");
        send("GET", "/");
        send("BREW", "/pot");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(metrics()).contains(
                "switchboard_sidecar_requests_total{method=\"GET\",route=\"/users\",status=\"200\"} 2.0",
                "switchboard_sidecar_requests_total{method=\"POST\",route=\"/users\",status=\"200\"} 1.0",
                "switchboard_sidecar_requests_total{method=\"GET\",route=\"/\",status=\"200\"} 1.0",
                "switchboard_sidecar_requests_total{method=\"OTHER\",route=\"/pot\",status=\"200\"} 1.0",
                "switchboard_sidecar_request_duration_seconds_count{method=\"GET\",route=\"/users\"} 2"));
    }

    @Test
    void theRouteLabelStaysBoundedWhateverPathsClientsSend() throws Exception {
        start(List.of());
        for (int i = 0; i < 80; i++) {
            send("GET", "/random-" + i + "/x");
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            String m = metrics();
            long series = m.lines().filter(l -> l.startsWith("switchboard_sidecar_requests_total{")).count();
            assertThat(series).isEqualTo(51); // 50 segments, then "other"
            assertThat(m).contains("switchboard_sidecar_requests_total{method=\"GET\",route=\"other\",status=\"200\"} 30.0");
        });
    }

    @Test
    void configuredPrefixesAreTheOnlyRoutes() throws Exception {
        start(List.of("/api", "/api/admin", "/static"));
        send("GET", "/api/users/7");
        send("GET", "/api/admin/stats");
        send("GET", "/static/app.css");
        send("GET", "/apiary");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(metrics()).contains(
                "switchboard_sidecar_requests_total{method=\"GET\",route=\"/api\",status=\"200\"} 1.0",
                "switchboard_sidecar_requests_total{method=\"GET\",route=\"/api/admin\",status=\"200\"} 1.0",
                "switchboard_sidecar_requests_total{method=\"GET\",route=\"/static\",status=\"200\"} 1.0",
                "switchboard_sidecar_requests_total{method=\"GET\",route=\"other\",status=\"200\"} 1.0"));
    }
}
