package dev.switchboard.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProxyTest {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private TestUpstream app;
    private Sidecar sidecar;

    private Sidecar start(SidecarConfig config) throws Exception {
        sidecar = Sidecar.start(config.withPorts(0, 0));
        return sidecar;
    }

    private SidecarConfig config() throws Exception {
        app = TestUpstream.start();
        return SidecarConfig.of(URI.create(app.url()));
    }

    @AfterEach
    void stop() {
        if (sidecar != null) {
            sidecar.shutdown();
        }
        if (app != null) {
            app.close();
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(sidecar.url() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aGetReachesTheAppWithForwardingHeadersAndWithoutHopByHopOnes() throws Exception {
        start(config());
        try (RawClient c = new RawClient(sidecar.port())) {
            String answer = c.send("GET /hello?x=1 HTTP/1.1\r\nHost: example.test\r\nConnection: close, X-Secret\r\nX-Secret: 1\r\n"
                    + "Keep-Alive: timeout=5\r\nTE: trailers\r\nProxy-Authorization: Basic eA==\r\nUpgrade: h2c\r\n"
                    + "X-Forwarded-Proto: https\r\nX-Kept: yes\r\n\r\n").readUntilClosed();
            assertThat(answer).startsWith("HTTP/1.1 200 OK").contains("hello from the app").containsIgnoringCase("connection: close");
        }
        var seen = app.seen.getFirst();
        assertThat(seen.path()).isEqualTo("/hello?x=1");
        assertThat(seen.headers().keySet().stream().map(String::toLowerCase).toList())
                .doesNotContain("x-secret", "keep-alive", "te", "proxy-authorization", "upgrade")
                .contains("x-kept", "traceparent");
        assertThat(seen.headers().getFirst("Connection")).isNull();
        assertThat(seen.headers().getFirst("X-Forwarded-For")).isEqualTo("127.0.0.1");
        assertThat(seen.headers().getFirst("X-Forwarded-Proto")).isEqualTo("http");
        assertThat(seen.headers().getFirst("X-Forwarded-Host")).isEqualTo("example.test");
        assertThat(seen.headers().getFirst("Forwarded")).isEqualTo("for=127.0.0.1;host=\"example.test\";proto=http");
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        start(config());
        try (RawClient c = new RawClient(sidecar.port())) {
            String answers = c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nfirst"
                    + "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nConnection: close\r\n\r\nthird").readUntilClosed();
            assertThat(answers.split("HTTP/1.1 200 OK", -1)).hasSize(4);
            assertThat(answers.indexOf("first")).isLessThan(answers.indexOf("hello from the app"));
            assertThat(answers.indexOf("hello from the app")).isLessThan(answers.indexOf("third"));
        }
        assertThat(app.seen).extracting(TestUpstream.Seen::path).containsExactly("/echo", "/hello", "/echo");
    }

    @Test
    void aRequestPipelinedWhileTheFirstIsWithTheAppWaitsItsTurn() throws Exception {
        // The client connection keeps reading while an exchange waits for the app (no pause per request):
        // a request that arrives then, in a packet of its own, must still wait for the first one's answer.
        start(config());
        try (RawClient c = new RawClient(sidecar.port())) {
            // A first exchange leaves an idle upstream connection on this client's loop: the next lease is immediate.
            c.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n").readUntil("hello from the app");
            c.send("GET /wait HTTP/1.1\r\nHost: x\r\n\r\n");
            await().atMost(Duration.ofSeconds(5)).until(() -> app.count("/wait") == 1);
            c.send("GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            // time enough for the sidecar to read it, and wrongly pass it on
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> app.count("/hello") == 1);
            app.release();
            String answers = c.readUntilClosed();
            assertThat(answers.indexOf("waited")).isPositive().isLessThan(answers.indexOf("hello from the app"));
        }
    }

    @Test
    void bodiesStreamBothWaysUnchanged() throws Exception {
        start(config());
        byte[] body = new byte[8 << 20];
        new Random(7).nextBytes(body);
        // ofInputStream has no known length: the request goes out chunked, and the app answers chunked.
        var response = http.send(HttpRequest.newBuilder(URI.create(sidecar.url() + "/echo"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(MessageDigest.getInstance("SHA-256").digest(response.body()))
                .isEqualTo(MessageDigest.getInstance("SHA-256").digest(body));
    }

    @Test
    void keptAliveUpstreamConnectionsAreReused() throws Exception {
        start(config());
        for (int i = 0; i < 20; i++) {
            assertThat(get("/hello").statusCode()).isEqualTo(200);
        }
        assertThat(app.seen.stream().map(TestUpstream.Seen::remotePort).distinct()).hasSize(1);
    }

    @Test
    void anUpstreamThatIsDownIsA502Problem() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        start(SidecarConfig.of(URI.create("http://127.0.0.1:" + closedPort)));
        var r = get("/anything");
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/problem+json");
        assertThat(r.body()).contains("\"status\":502", "upstream-unavailable", "cannot connect to the upstream 127.0.0.1:" + closedPort);
    }

    @Test
    void anUpstreamTooSlowToAnswerIsA504Problem() throws Exception {
        start(config().withUpstreamTimeout(Duration.ofMillis(300)));
        var r = get("/wait");
        assertThat(r.statusCode()).isEqualTo(504);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/problem+json");
        assertThat(r.body()).contains("upstream-timeout", "no response within 300ms", "GET /wait");
        app.release();
        assertThat(get("/hello").statusCode()).isEqualTo(200); // the slow connection was dropped, not reused
    }

    @Test
    void thePoolIsBoundedAndItsStateIsInTheMetrics() throws Exception {
        start(config().withPool(new PoolSettings(3, Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofSeconds(10), 100)));
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 12; i++) { // distinct URLs: identical GETs would be collapsed into one by the cache
            calls.add(http.sendAsync(HttpRequest.newBuilder(URI.create(sidecar.url() + "/wait?client=" + i)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> sidecar.pool().pending() == 9 && sidecar.pool().active() == 3);
        assertThat(metrics()).contains("switchboard_sidecar_upstream_connections{state=\"active\"} 3",
                "switchboard_sidecar_upstream_connections{state=\"pending\"} 9");
        app.release();
        for (var call : calls) {
            assertThat(call.get().statusCode()).isEqualTo(200);
        }
        assertThat(app.maxInFlight.get()).isLessThanOrEqualTo(3);
        assertThat(app.seen.stream().map(TestUpstream.Seen::remotePort).distinct().count()).isLessThanOrEqualTo(3);
        await().atMost(Duration.ofSeconds(10)).until(() -> sidecar.pool().active() == 0);
        assertThat(metrics()).contains("switchboard_sidecar_upstream_connections{state=\"idle\"} 3");
    }

    @Test
    void twoHundredConcurrentClientsShareAPoolOfEight() throws Exception {
        start(config().withPool(new PoolSettings(8, Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofSeconds(10), 1000)));
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 200; i++) { // distinct URLs: identical GETs would be collapsed into one by the cache
            calls.add(http.sendAsync(HttpRequest.newBuilder(URI.create(sidecar.url() + "/wait?client=" + i)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> sidecar.pool().active() == 8 && sidecar.pool().pending() == 192);
        app.release();
        for (var call : calls) {
            assertThat(call.get().body()).isEqualTo("waited");
        }
        assertThat(app.maxInFlight.get()).isEqualTo(8);
        assertThat(app.seen.stream().map(TestUpstream.Seen::remotePort).distinct().count()).isLessThanOrEqualTo(8);
    }

    @Test
    void aWaitForAConnectionPastTheAcquireTimeoutIsA503() throws Exception {
        start(config().withPool(new PoolSettings(1, Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofMillis(200), 10)));
        var first = http.sendAsync(HttpRequest.newBuilder(URI.create(sidecar.url() + "/wait")).build(), HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(10)).until(() -> sidecar.pool().active() == 1);
        var second = get("/hello");
        assertThat(second.statusCode()).isEqualTo(503);
        assertThat(second.body()).contains("upstream-busy", "no upstream connection came free in 200ms");
        app.release();
        assertThat(first.get().statusCode()).isEqualTo(200);
    }

    private String metrics() throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(sidecar.controlUrl() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
