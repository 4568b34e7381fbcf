package dev.switchboard.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/** The HTTP API as a test sees it: plain JDK HttpClient calls over HTTP/1.1, answers parsed with Jackson. */
public final class ApiClient {
    public static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger TOPICS = new AtomicInteger();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String url;

    public ApiClient(String url) {
        this.url = url;
    }

    /** A topic name no other test uses. */
    public static String freshTopic(String prefix) {
        return prefix + "-" + TOPICS.incrementAndGet();
    }

    public HttpResponse<String> post(String path, String contentType, byte[] body, String... headers) {
        HttpRequest.Builder b = request(path).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (headers.length > 0) {
            b.headers(headers);
        }
        return send(b.build());
    }

    /** POSTs a JSON body (or none when {@code json} is null). */
    public HttpResponse<String> postJson(String path, String json) {
        return post(path, json == null ? null : "application/json", json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8));
    }

    public CompletableFuture<HttpResponse<String>> postAsync(String path) {
        return http.sendAsync(request(path).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> publish(String topic, String contentType, String body, String... headers) {
        return post(messages(topic), contentType, body.getBytes(StandardCharsets.UTF_8), headers);
    }

    /** Publishes one JSON message and returns its offset. */
    public long publishJson(String topic, String json) {
        HttpResponse<String> r = publish(topic, "application/json", json);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return json(r).get("offset").asLong();
    }

    public HttpResponse<String> get(String path) {
        return send(request(path).GET().build());
    }

    public CompletableFuture<HttpResponse<String>> getAsync(String path) {
        return http.sendAsync(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> send(String method, String path) {
        return send(request(path).method(method, HttpRequest.BodyPublishers.noBody()).build());
    }

    /** A read that must succeed: {@code GET /v1/topics/{topic}/messages?{query}}. */
    public JsonNode read(String topic, String query) {
        HttpResponse<String> r = get(messages(topic) + "?" + query);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r);
    }

    public HttpResponse<String> info(String topic) {
        return get("/v1/topics/" + topic);
    }

    /** The topic's last offset, or 0 when it does not exist: "nothing was appended" checks use it. */
    public long lastOffset(String topic) {
        HttpResponse<String> r = info(topic);
        return r.statusCode() == 404 ? 0 : json(r).get("last").asLong();
    }

    public int longPollers(String topic) {
        HttpResponse<String> r = info(topic);
        return r.statusCode() == 404 ? 0 : json(r).get("subscribers").get("long-poll").asInt();
    }

    public static String messages(String topic) {
        return "/v1/topics/" + topic + "/messages";
    }

    public static JsonNode json(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + r.body(), e);
        }
    }

    /** Asserts an RFC 9457 problem with this status and code; returns it for more checks. */
    public static JsonNode assertProblem(HttpResponse<String> r, int status, String code) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/problem+json");
        JsonNode problem = json(r);
        assertThat(problem.get("code").asText()).isEqualTo(code);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        return problem;
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(30));
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
