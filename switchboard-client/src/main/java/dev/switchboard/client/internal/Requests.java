package dev.switchboard.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.client.SwitchboardClientException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Every HTTP request of the SDK goes through here, in this order: URL → timeout → Authorization (asked of the
 * token supplier per request, so a refreshed token is used at once) → send → problem+json to exception.
 * Immutable and thread-safe. Not API.
 */
public record Requests(HttpClient http, URI base, Duration timeout, Supplier<String> token) {

    public URI uri(String path, String query) {
        String p = base.getPath().endsWith("/") ? path.substring(1) : path;
        return base.resolve(base.getPath() + p + (query == null || query.isEmpty() ? "" : "?" + query));
    }

    public static String topicPath(String topic) {
        // Topic names only hold URL-safe characters; slashes stay as separators (the server joins them back).
        return "/v1/topics/" + topic;
    }

    public static String param(String name, Object value) {
        return value == null ? "" : name + "=" + URLEncoder.encode(value.toString(), StandardCharsets.UTF_8);
    }

    public static String query(String... params) {
        StringBuilder q = new StringBuilder();
        for (String p : params) {
            if (!p.isEmpty()) {
                q.append(q.isEmpty() ? "" : "&").append(p);
            }
        }
        return q.toString();
    }

    /** A request builder with the timeout (plus {@code extra}, e.g. a long poll's wait) and the bearer token. */
    public HttpRequest.Builder request(URI uri, Duration extra) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri);
        b.timeout(extra == null ? timeout : timeout.plus(extra)); // for streams: until the headers arrive
        authorize(b::header);
        return b;
    }

    public void authorize(java.util.function.BiConsumer<String, String> header) {
        if (token != null) {
            String t = token.get();
            if (t != null && !t.isEmpty()) {
                header.accept("Authorization", "Bearer " + t);
            }
        }
    }

    /** Sends and answers the body of a 2xx; anything else fails with the problem it carries. */
    public CompletableFuture<HttpResponse<byte[]>> send(HttpRequest request) {
        String what = request.method() + " " + request.uri();
        CompletableFuture<HttpResponse<byte[]>> exchange = http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
        return cancelling(exchange, exchange.handle((r, e) -> {
            if (e != null) {
                Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                throw cause instanceof SwitchboardClientException s ? s : SwitchboardClientException.transport(what, cause);
            }
            if (r.statusCode() / 100 != 2) {
                throw Json.problem(r.statusCode(), r.body());
            }
            return r;
        }));
    }

    /** {@link #send}, its answer mapped by {@code answer}; cancelling the result hangs up the exchange. */
    public <T> CompletableFuture<T> exchange(HttpRequest request, Function<HttpResponse<byte[]>, T> answer) {
        CompletableFuture<HttpResponse<byte[]>> sent = send(request);
        return cancelling(sent, sent.thenApply(answer));
    }

    /** A GET of {@code path?query}, held up to {@code wait} (a long poll; null: none), its JSON answer read by {@code read}. */
    public <T> CompletableFuture<T> get(String path, String query, Duration wait, Function<JsonNode, T> read) {
        return exchange(request(uri(path, query), wait).GET().build(), r -> read.apply(Json.body(r)));
    }

    /** A POST of the JSON {@code body} to {@code path}, its JSON answer read by {@code read}. */
    public <T> CompletableFuture<T> postJson(String path, JsonNode body, Function<JsonNode, T> read) {
        HttpRequest request = request(uri(path, null), null)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8))
                .build();
        return exchange(request, r -> read.apply(Json.body(r)));
    }

    /**
     * {@code downstream}, whose cancellation also cancels {@code upstream}: cancelling a long poll hangs up its
     * exchange, so the server gives back what it was about to answer instead of holding it for nobody.
     */
    public static <T, U> CompletableFuture<U> cancelling(CompletableFuture<T> upstream, CompletableFuture<U> downstream) {
        downstream.whenComplete((r, e) -> {
            if (downstream.isCancelled()) {
                upstream.cancel(true);
            }
        });
        return downstream;
    }

    /** The sync face of a future: waits, and rethrows the {@link SwitchboardClientException} itself. */
    public static <T> T await(CompletableFuture<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw SwitchboardClientException.transport("interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof CompletionException && c.getCause() != null) {
                c = c.getCause();
            }
            throw c instanceof SwitchboardClientException s ? s : SwitchboardClientException.transport("request failed", c);
        }
    }
}
