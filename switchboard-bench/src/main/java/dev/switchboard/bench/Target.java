package dev.switchboard.bench;

import java.net.URI;
import java.net.http.HttpRequest;

/**
 * The server a bench talks to and the bearer token it sends (null or blank: none), so every client —
 * JDK HttpClient requests, Netty requests, WebSocket handshakes — authenticates the same way.
 */
public record Target(String url, String token) {
    public Target {
        url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        token = token == null || token.isBlank() ? null : token.strip();
    }

    /** {@code Authorization} header value, or null when there is no token. */
    public String authorization() {
        return token == null ? null : "Bearer " + token;
    }

    public HttpRequest.Builder request(String pathAndQuery) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + pathAndQuery));
        return token == null ? b : b.header("Authorization", authorization());
    }

    public URI uri(String pathAndQuery) {
        return URI.create(url + pathAndQuery);
    }
}
