package dev.switchboard.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.core.config.TlsSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The sidecar in front of an app in another language: Python 3's http.server ({@code python/app.py}). */
class PythonUpstreamTest {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<PythonApp> apps = new ArrayList<>();
    private Sidecar sidecar;

    private PythonApp app(PythonApp app) {
        apps.add(app);
        return app;
    }

    @AfterEach
    void stop() throws Exception {
        if (sidecar != null) {
            sidecar.shutdown();
        }
        for (PythonApp a : apps) {
            a.close();
        }
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private void publish(String topic, String text) throws Exception {
        var r = http.send(HttpRequest.newBuilder(URI.create(sidecar.controlUrl() + "/v1/topics/" + topic + "/messages"))
                .header("content-type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(text)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isBetween(200, 299);
    }

    /** Opens an SSE request and feeds its lines into a queue as they arrive. */
    private LinkedBlockingQueue<String> stream(String path) {
        LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        http.sendAsync(HttpRequest.newBuilder(URI.create(sidecar.url() + path)).build(), HttpResponse.BodyHandlers.ofLines())
                .thenAccept(r -> Thread.ofVirtual().start(() -> {
                    try (Stream<String> s = r.body()) {
                        s.forEach(lines::add);
                    }
                }));
        return lines;
    }

    private static void awaitLine(LinkedBlockingQueue<String> lines, String expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            String line = lines.poll(100, TimeUnit.MILLISECONDS);
            if (expected.equals(line)) {
                return;
            }
        }
        throw new AssertionError("no line '" + expected + "' within 10 s; left: " + lines);
    }

    @Test
    void aPlainGetReachesThePythonApp() throws Exception {
        PythonApp python = app(PythonApp.start());
        sidecar = Sidecar.start(SidecarConfig.of(URI.create(python.url())).withPorts(0, 0));
        var r = get(sidecar.url() + "/hello");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("hello from python");
        assertThat(get(sidecar.url() + "/missing").statusCode()).isEqualTo(404);
    }

    @Test
    void clientsGetTlsAndHttp2InFrontOfThePythonApp() throws Exception {
        PythonApp python = app(PythonApp.start());
        sidecar = Sidecar.start(SidecarConfig.of(URI.create(python.url())).withTls(TlsSettings.SELF_SIGNED).withPorts(0, 0));
        var h2 = TlsTest.trusting(sidecar, HttpClient.Version.HTTP_2);
        var r = h2.send(HttpRequest.newBuilder(URI.create("https://localhost:" + sidecar.port() + "/hello")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(r.body()).isEqualTo("hello from python");
    }

    @Test
    void aGripStreamKeepsDeliveringWhileThePythonAppIsKilledAndRestarted() throws Exception {
        PythonApp python = app(PythonApp.start());
        int port = python.port();
        sidecar = Sidecar.start(SidecarConfig.of(URI.create(python.url())).withPorts(0, 0));
        var lines = stream("/events/news");
        awaitLine(lines, "data: python"); // the app's greeting
        await().atMost(Duration.ofSeconds(10)).until(() -> sidecar.metrics().scrape().contains("switchboard_sidecar_holds{kind=\"stream\"} 1.0"));
        publish("news", "first");
        awaitLine(lines, "data: first");

        python.kill();
        assertThat(get(sidecar.url() + "/hello").statusCode()).isEqualTo(502); // the app is gone…
        publish("news", "while the app is down");
        awaitLine(lines, "data: while the app is down"); // …and the held client does not notice

        app(PythonApp.startOn(port));
        await().atMost(Duration.ofSeconds(10)).until(() -> get(sidecar.url() + "/hello").statusCode() == 200);
        publish("news", "after the restart");
        awaitLine(lines, "data: after the restart");
        assertThat(sidecar.metrics().scrape()).contains("switchboard_sidecar_holds{kind=\"stream\"} 1.0"); // the same stream
    }

    @Test
    void twoHundredConcurrentClientsReachThePythonAppOverAPoolOfEight() throws Exception {
        PythonApp python = app(PythonApp.start());
        sidecar = Sidecar.start(SidecarConfig.of(URI.create(python.url()))
                .withPool(new PoolSettings(8, Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofSeconds(20), 1000)).withPorts(0, 0));
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 200; i++) { // distinct URLs: identical GETs would be collapsed by the cache
            calls.add(http.sendAsync(HttpRequest.newBuilder(URI.create(sidecar.url() + "/slow?client=" + i)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        for (var call : calls) {
            assertThat(call.get(30, TimeUnit.SECONDS).body()).isEqualTo("slow");
        }
        String stats = get(python.url() + "/stats").body(); // straight to the app: one more connection, not through the pool
        int maxInFlight = Integer.parseInt(stats.replaceAll(".*\"max_in_flight\": (\\d+).*", "$1"));
        int connections = Integer.parseInt(stats.replaceAll(".*\"client_ports\": (\\d+).*", "$1"));
        assertThat(maxInFlight).isBetween(2, 8);
        assertThat(connections).isLessThanOrEqualTo(8 + 1);
    }
}
