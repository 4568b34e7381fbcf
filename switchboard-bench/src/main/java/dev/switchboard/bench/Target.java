package dev.switchboard.bench;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
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

    /** A Netty {@code POST} of {@code json} (empty: no body), with the token; {@link dev.switchboard.bench.wire.RequestChain} adds {@code Host}. */
    public FullHttpRequest post(String pathAndQuery, byte[] json) {
        return post(pathAndQuery, HttpHeaderValues.APPLICATION_JSON, json);
    }

    /** A Netty {@code POST} of {@code body} (empty: no body, and no {@code Content-Type}), with the token. */
    public FullHttpRequest post(String pathAndQuery, CharSequence contentType, byte[] body) {
        FullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, pathAndQuery, Unpooled.wrappedBuffer(body));
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        if (body.length > 0) {
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        }
        if (token != null) {
            r.headers().set(HttpHeaderNames.AUTHORIZATION, authorization());
        }
        return r;
    }

    public URI uri(String pathAndQuery) {
        return URI.create(url + pathAndQuery);
    }
}
