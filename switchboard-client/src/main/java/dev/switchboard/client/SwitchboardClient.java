package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.client.internal.Json;
import dev.switchboard.client.internal.Requests;
import dev.switchboard.client.internal.SubscriptionLoop;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A Switchboard server seen from Java: publish, read, long-poll and subscribe (SSE, WebSocket, long or short
 * polling behind one {@link Subscription}).
 *
 * <p><b>Sync and async.</b> Each call has a blocking form and an {@code …Async} form returning a
 * {@link CompletableFuture}; the blocking form waits for the future. Failures are a
 * {@link SwitchboardClientException} (thrown, or completing the future exceptionally) carrying the server's
 * problem fields.
 *
 * <p><b>Threads.</b> A client is thread-safe: share one per application (it holds an {@link HttpClient} and its
 * connection pool). Futures complete on the {@code HttpClient}'s executor; subscriptions call their listener
 * from one thread of their own (see {@link Subscription}).
 *
 * <p><b>Timeouts.</b> {@code requestTimeout} (default 30 s) bounds each request until its answer (for a long
 * poll: the wait plus it; for a stream: until its headers arrive). {@code connectTimeout} (default 10 s) applies
 * to the {@code HttpClient} the builder makes; a supplied one keeps its own.
 *
 * <p><b>Closing.</b> {@link #close()} ends every subscription it opened and, if the builder made the
 * {@code HttpClient}, closes it; a supplied {@code HttpClient} is left to its owner.
 */
public final class SwitchboardClient implements AutoCloseable {
    private final Requests requests;
    private final boolean ownsHttp;
    private final Set<Subscription> subscriptions = ConcurrentHashMap.newKeySet();

    private SwitchboardClient(Requests requests, boolean ownsHttp) {
        this.requests = requests;
        this.ownsHttp = ownsHttp;
    }

    public static Builder builder(String baseUrl) {
        return new Builder(URI.create(baseUrl));
    }

    // ---- publish

    /** Publishes {@code body} with its content type ({@code application/json}, {@code text/plain}, anything). */
    public CompletableFuture<PublishResult> publishAsync(String topic, byte[] body, String contentType, Durability durability) {
        HttpRequest request = requests.request(messagesUri(topic, durability), null)
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return requests.send(request).thenApply(r -> {
            JsonNode j = json(r);
            return new PublishResult(j.path("topic").asText(), j.path("offset").asLong(), Json.instant(j.path("time")));
        });
    }

    public PublishResult publish(String topic, byte[] body, String contentType, Durability durability) {
        return Requests.await(publishAsync(topic, body, contentType, durability));
    }

    /** Publishes one JSON value given as its text (the server checks it is exactly one value). */
    public PublishResult publishJson(String topic, String json) {
        return publish(topic, utf8(json), "application/json", Durability.SYNC);
    }

    public CompletableFuture<PublishResult> publishJsonAsync(String topic, String json) {
        return publishAsync(topic, utf8(json), "application/json", Durability.SYNC);
    }

    public PublishResult publishText(String topic, String text) {
        return publish(topic, utf8(text), "text/plain; charset=utf-8", Durability.SYNC);
    }

    public CompletableFuture<PublishResult> publishTextAsync(String topic, String text) {
        return publishAsync(topic, utf8(text), "text/plain; charset=utf-8", Durability.SYNC);
    }

    /** Publishes JSON values (each given as its text, one line each) as one batch: one commit, consecutive offsets. */
    public CompletableFuture<BatchResult> publishBatchAsync(String topic, List<String> jsonValues, Durability durability) {
        StringBuilder ndjson = new StringBuilder();
        for (String v : jsonValues) {
            ndjson.append(oneLine(v)).append('\n');
        }
        HttpRequest request = requests.request(messagesUri(topic, durability), null)
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString(ndjson.toString(), StandardCharsets.UTF_8))
                .build();
        return requests.send(request).thenApply(r -> {
            JsonNode j = json(r);
            return new BatchResult(j.path("topic").asText(), j.path("first").asLong(), j.path("last").asLong(),
                    j.path("count").asInt(), Json.instant(j.path("time")));
        });
    }

    public BatchResult publishBatch(String topic, List<String> jsonValues, Durability durability) {
        return Requests.await(publishBatchAsync(topic, jsonValues, durability));
    }

    // ---- read and long poll

    /** The messages after {@code after} (0: from the oldest; null: from the current end), at most {@code limit}. */
    public CompletableFuture<Page> readAsync(String topic, Long after, int limit) {
        return readAsync(topic, after, limit, null, null);
    }

    public Page read(String topic, Long after, int limit) {
        return Requests.await(readAsync(topic, after, limit));
    }

    /**
     * A long poll: answers as soon as a message exists after {@code after}, or with an empty page when {@code wait}
     * ends (the server caps it at its {@code max-wait}). {@code epoch}, when given, must match the server's store
     * or the read fails with {@code cannot-resume}.
     */
    public CompletableFuture<Page> readAsync(String topic, Long after, int limit, Duration wait, String epoch) {
        String query = Requests.query(Requests.param("after", after), Requests.param("limit", limit),
                Requests.param("wait", wait == null ? null : wait.toMillis() + "ms"), Requests.param("epoch", epoch));
        HttpRequest request = requests.request(requests.uri(Requests.topicPath(topic) + "/messages", query), wait)
                .GET().build();
        return requests.send(request).thenApply(r -> Json.page(json(r)));
    }

    public Page read(String topic, Long after, int limit, Duration wait) {
        return Requests.await(readAsync(topic, after, limit, wait, null));
    }

    /** Every topic with its retained range, sorted by name. */
    public CompletableFuture<List<TopicSummary>> topicsAsync() {
        HttpRequest request = requests.request(requests.uri("/v1/topics", null), null).GET().build();
        return requests.send(request).thenApply(r -> {
            List<TopicSummary> topics = new ArrayList<>();
            json(r).path("topics").forEach(t -> topics.add(new TopicSummary(t.path("topic").asText(),
                    t.path("first").asLong(), t.path("last").asLong(), t.path("count").asLong())));
            return List.copyOf(topics);
        });
    }

    public List<TopicSummary> topics() {
        return Requests.await(topicsAsync());
    }

    // ---- subscribe

    /**
     * Starts delivering {@code topic} to {@code listener} over the transport {@code options} names, reconnecting
     * and resuming by itself. Returns at once; close the subscription (or this client) to stop it.
     */
    public Subscription subscribe(String topic, SubscribeOptions options, SubscriptionListener listener) {
        Objects.requireNonNull(listener, "listener");
        SubscriptionLoop loop = new SubscriptionLoop(this, requests, topic, options, listener, subscriptions::remove);
        subscriptions.add(loop);
        loop.start();
        return loop;
    }

    /** The subscriptions of this client that have not ended. */
    public List<Subscription> subscriptions() {
        return List.copyOf(subscriptions);
    }

    @Override
    public void close() {
        for (Subscription s : List.copyOf(subscriptions)) {
            s.close();
        }
        if (ownsHttp) {
            requests.http().close();
        }
    }

    private URI messagesUri(String topic, Durability durability) {
        String query = durability == null || durability == Durability.SYNC ? null : Requests.param("durability", durability.wire());
        return requests.uri(Requests.topicPath(topic) + "/messages", query);
    }

    private static JsonNode json(HttpResponse<byte[]> r) {
        try {
            return Json.parse(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException("the server's answer is not JSON", e);
        }
    }

    private static String oneLine(String json) {
        // NDJSON is one value per line; re-serializing makes a pretty-printed value one line.
        try {
            return Json.MAPPER.writeValueAsString(Json.parse(json));
        } catch (IOException e) {
            throw new IllegalArgumentException("not a JSON value: " + json, e);
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Settings of a client; {@link #build()} validates them. */
    public static final class Builder {
        private final URI baseUrl;
        private HttpClient http;
        private Duration connectTimeout = Duration.ofSeconds(10); // a refused or unroutable server fails within this
        private Duration requestTimeout = Duration.ofSeconds(30); // an answer (or a stream's headers) within this
        private Supplier<String> bearerToken;

        private Builder(URI baseUrl) {
            if (baseUrl.getScheme() == null || !baseUrl.getScheme().startsWith("http")) {
                throw new IllegalArgumentException("base URL must be http:// or https://, got " + baseUrl);
            }
            this.baseUrl = baseUrl;
        }

        /** Use this HttpClient (its executor, TLS and proxy settings); the SDK will not close it. */
        public Builder httpClient(HttpClient http) {
            this.http = http;
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = positive(timeout, "requestTimeout");
            return this;
        }

        /** Asked for a token before every request and (re)connection, sent as {@code Authorization: Bearer <token>}. */
        public Builder bearerToken(Supplier<String> token) {
            this.bearerToken = token;
            return this;
        }

        public SwitchboardClient build() {
            boolean owns = http == null;
            HttpClient client = owns
                    // HTTP/1.1: no h2c upgrade round trip per connection, and one stream per connection is what SSE wants.
                    ? HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout).build()
                    : http;
            return new SwitchboardClient(new Requests(client, baseUrl, requestTimeout, bearerToken), owns);
        }

        private static Duration positive(Duration d, String name) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, got " + d);
            }
            return d;
        }
    }
}
