package dev.switchboard.server.http2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * HTTP/2 on the same port as HTTP/1.1: h2c by prior knowledge and by {@code Upgrade: h2c}, h2 over TLS by
 * ALPN; every route answers on a stream as it does on HTTP/1.1, and the limits hold per stream.
 */
class Http2Test {
    private static TestServer plain;
    private static TestServer tls;

    @BeforeAll
    static void start() {
        plain = TestServer.start(Map.of("store", "memory"));
        tls = TestServer.start(Map.of("store", "memory", "tls-self-signed", "true"));
    }

    @AfterAll
    static void stop() {
        if (plain != null) {
            plain.close();
        }
        if (tls != null) {
            tls.close();
        }
    }

    @Test
    void jdkClientUpgradesACleartextConnectionToHttp2AndEveryRouteAnswersOnIt() throws Exception {
        try (TestServer plain = TestServer.start(Map.of("store", "memory")); HttpClient client = Http2Clients.client(plain)) {
            upgradeAndUseEveryKindOfRoute(plain, client);
        }
    }

    private static void upgradeAndUseEveryKindOfRoute(TestServer plain, HttpClient client) throws Exception {
        HttpResponse<String> health = Http2Clients.get(client, plain.url() + "/healthz");
        assertThat(health.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(health.statusCode()).isEqualTo(200);

        HttpResponse<String> published = Http2Clients.post(client, plain.url() + "/v1/topics/h2c/messages", "{\"n\":1}");
        assertThat(published.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(published.statusCode()).isEqualTo(201);
        HttpResponse<String> read = Http2Clients.get(client, plain.url() + "/v1/topics/h2c/messages?after=0");
        assertThat(read.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(read.body()).contains("\"offset\":1").contains("{\"n\":1}");
        assertThat(Http2Clients.get(client, plain.url() + "/").body()).contains("<html");
        assertThat(Http2Clients.openConnections(client, plain)).isEqualTo(1);
    }

    @Test
    void jdkClientNegotiatesHttp2OverTlsWithTheSelfSignedCertificate() throws Exception {
        assertThat(tls.url()).startsWith("https://");
        try (HttpClient client = Http2Clients.client(tls)) {
            HttpResponse<String> published = Http2Clients.post(client, tls.url() + "/v1/topics/tls/messages", "{\"n\":1}");
            assertThat(published.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(published.statusCode()).isEqualTo(201);
            HttpResponse<String> read = Http2Clients.get(client, tls.url() + "/v1/topics/tls/messages?after=0");
            assertThat(read.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(read.body()).contains("{\"n\":1}");
        }
    }

    @Test
    void clientWithoutAlpnForHttp2GetsHttp11OverTls() throws Exception {
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .sslContext(tls.clientSslContext()).build()) {
            HttpResponse<String> health = Http2Clients.get(client, tls.url() + "/healthz");
            assertThat(health.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
            assertThat(health.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void http2ResponsesCarryNoConnectionSpecificHeaders() throws Exception {
        try (HttpClient client = Http2Clients.client(tls)) {
            HttpResponse<String> ok = Http2Clients.get(client, tls.url() + "/healthz");
            HttpResponse<String> notFound = Http2Clients.get(client, tls.url() + "/nowhere");
            assertThat(notFound.statusCode()).isEqualTo(404);
            for (HttpResponse<String> r : new HttpResponse[] {ok, notFound}) {
                assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
                assertThat(r.headers().map().keySet()).doesNotContain("connection", "keep-alive", "transfer-encoding", "upgrade");
            }
        }
    }

    @Test
    void oversizedBodyOnAStreamGets413AndTheConnectionKeepsServing() throws Exception {
        try (TestServer plain = TestServer.start(Map.of("store", "memory", "max-body", "4KiB"));
             HttpClient client = Http2Clients.client(plain)) {
            refuseOversizedBody(plain, client);
        }
    }

    private static void refuseOversizedBody(TestServer plain, HttpClient client) throws Exception {
        assertThat(Http2Clients.get(client, plain.url() + "/healthz").version()).isEqualTo(HttpClient.Version.HTTP_2);
        HttpResponse<String> tooLarge = Http2Clients.post(client, plain.url() + "/v1/topics/big/messages",
                "{\"pad\":\"" + "x".repeat(8 * 1024) + "\"}");
        assertThat(tooLarge.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(tooLarge.headers().firstValue("content-type")).hasValue("application/problem+json");
        assertThat(tooLarge.body()).contains("max-body");
        // The refusal reset one stream, not the connection: the same client goes on over the same connection.
        assertThat(Http2Clients.post(client, plain.url() + "/v1/topics/big/messages", "{\"n\":1}").statusCode()).isEqualTo(201);
        assertThat(Http2Clients.openConnections(client, plain)).isEqualTo(1);
    }

    @Test
    void webSocketRequestOnAnHttp2StreamIsRefusedWithAProblem() throws Exception {
        try (HttpClient client = Http2Clients.client(tls)) {
            HttpResponse<String> ws = Http2Clients.get(client, tls.url() + "/v1/ws");
            assertThat(ws.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(ws.statusCode()).isEqualTo(400);
            assertThat(ws.body()).contains("WebSocket needs an HTTP/1.1 connection");
        }
    }

    @Test
    void sseStreamsOverHttp2ReceivePublishedMessages() throws Exception {
        try (HttpClient client = Http2Clients.client(tls)) {
            Http2Clients.post(client, tls.url() + "/v1/topics/sse-h2/messages", "{\"n\":1}");
            HttpResponse<java.util.stream.Stream<String>> stream = client.send(
                    HttpRequest.newBuilder(URI.create(tls.url() + "/v1/topics/sse-h2/events?after=0"))
                            .header("accept", "text/event-stream").timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofLines());
            assertThat(stream.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(stream.headers().firstValue("content-type")).hasValue("text/event-stream");
            assertThat(stream.headers().map().keySet()).doesNotContain("transfer-encoding", "connection");
            try (var lines = stream.body()) {
                assertThat(lines.filter(l -> l.startsWith("data:")).findFirst()).hasValue("data: {\"n\":1}");
            }
        }
    }

    @Test
    void curlWithPriorKnowledgeSpeaksHttp2() throws Exception {
        Curl.requireHttp2();
        Curl.Result r = Curl.run("--http2-prior-knowledge", "-o", "/dev/null", "-w", "%{http_version} %{http_code}",
                plain.url() + "/healthz");
        assertThat(r.out()).isEqualTo("2 200");
    }

    @Test
    void curlUpgradesWithH2cOnPlainHttp() throws Exception {
        Curl.requireHttp2();
        Curl.Result r = Curl.run("--http2", "-o", "/dev/null", "-w", "%{http_version} %{http_code}", plain.url() + "/healthz");
        assertThat(r.out()).isEqualTo("2 200");
    }

    @Test
    void curlNegotiatesHttp2OverTls() throws Exception {
        Curl.requireHttp2();
        Curl.Result r = Curl.run("--http2", "-k", "-o", "/dev/null", "-w", "%{http_version} %{http_code}", tls.url() + "/healthz");
        assertThat(r.out()).isEqualTo("2 200");
    }

    @Test
    void oversizedHeadersOnAStreamAreRefusedWith431() throws Exception {
        Curl.requireHttp2();
        Curl.Result r = Curl.run("--http2-prior-knowledge", "-o", "/dev/null", "-w", "%{http_version} %{http_code}",
                "-H", "x-big: " + "a".repeat(20_000), plain.url() + "/healthz");
        assertThat(r.out()).isEqualTo("2 431");
    }

    @Test
    void plainHttp11StillWorksOnTheCleartextPort() throws Exception {
        Curl.Result r = Curl.run("--http1.1", "-o", "/dev/null", "-w", "%{http_version} %{http_code}", plain.url() + "/healthz");
        assertThat(r.out()).isEqualTo("1.1 200");
    }
}
