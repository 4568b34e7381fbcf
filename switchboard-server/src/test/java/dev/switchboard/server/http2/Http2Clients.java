package dev.switchboard.server.http2;

import dev.switchboard.server.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** JDK HttpClients that speak HTTP/2 to a test server: h2c by upgrade on http://, ALPN on https:// trusting its certificate. */
final class Http2Clients {
    private static final Pattern OPEN_CONNECTIONS = Pattern.compile("(?m)^switchboard_connections_open (\\S+)$");
    private static final Pattern SSE_SESSIONS = Pattern.compile("(?m)^switchboard_sessions\\{transport=\"sse\"} (\\S+)$");

    private Http2Clients() {}

    /** One client is one connection per server (the JDK multiplexes every request on it once it speaks HTTP/2). */
    static HttpClient client(TestServer server) throws Exception {
        HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).connectTimeout(Duration.ofSeconds(5));
        if (!server.server().certificateChain().isEmpty()) {
            b.sslContext(server.clientSslContext());
        }
        return b.build();
    }

    static HttpResponse<String> get(HttpClient client, String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(HttpClient client, String url, String json) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** {@code switchboard_connections_open} as the server's /metrics reports it. */
    static int openConnections(HttpClient client, TestServer server) throws Exception {
        return metric(OPEN_CONNECTIONS, get(client, server.url() + "/metrics").body());
    }

    /** {@code switchboard_sessions{transport="sse"}}: the SSE streams the server holds open. */
    static int sseSessions(HttpClient client, TestServer server) throws Exception {
        return metric(SSE_SESSIONS, get(client, server.url() + "/metrics").body());
    }

    private static int metric(Pattern p, String scrape) {
        Matcher m = p.matcher(scrape);
        if (!m.find()) {
            throw new AssertionError("metric " + p + " missing from /metrics:\n" + scrape);
        }
        return (int) Double.parseDouble(m.group(1));
    }
}
