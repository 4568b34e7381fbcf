package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.client.internal.ConsumerLoop;
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
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A Switchboard server seen from Java: publish, read, long-poll and subscribe (SSE, WebSocket, long or short
 * polling behind one {@link Subscription}); consumer groups (fetch, ack, nack, state, reset) and a
 * {@link GroupConsumer} that runs a group member's loop.
 *
 * <p><b>Sync and async.</b> Each call has a blocking form and an {@code …Async} form returning a
 * {@link CompletableFuture}; the blocking form waits for the future. Failures are a
 * {@link SwitchboardClientException} (thrown, or completing the future exceptionally) carrying the server's
 * problem fields.
 *
 * <p><b>Threads.</b> A client is thread-safe: share one per application (it holds an {@link HttpClient} and its
 * connection pool). Futures complete on the {@code HttpClient}'s executor; subscriptions call their listener
 * from one thread of their own (see {@link Subscription}), group consumers their handler likewise (see
 * {@link GroupConsumer}).
 *
 * <p><b>Timeouts.</b> {@code requestTimeout} (default 30 s) bounds each request until its answer (for a long
 * poll: the wait plus it; for a stream: until its headers arrive). {@code connectTimeout} (default 10 s) applies
 * to the {@code HttpClient} the builder makes; a supplied one keeps its own.
 *
 * <p><b>Closing.</b> {@link #close()} ends every subscription and group consumer it opened and, if the builder made the
 * {@code HttpClient}, closes it; a supplied {@code HttpClient} is left to its owner.
 */
public final class SwitchboardClient implements AutoCloseable {
    private final Requests requests;
    private final boolean ownsHttp;
    private final Set<Subscription> subscriptions = ConcurrentHashMap.newKeySet();
    private final Set<GroupConsumer> consumers = ConcurrentHashMap.newKeySet();

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
        return answer(requests.send(request), r -> Json.page(json(r)));
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

    // ---- consumer groups

    /**
     * Leases up to {@code max} of the group's messages to this caller, waiting up to {@code wait} for the first
     * (null or zero: answers at once; the server caps it at its {@code max-wait}); {@code lease} (null: the server's
     * {@code group-lease}) is how long until an unacknowledged message is delivered again. Creates the group at the
     * topic's start the first time. An empty {@link Fetched#messages()} means the wait ended first.
     */
    public CompletableFuture<Fetched> fetchAsync(String topic, String group, int max, Duration wait, Duration lease) {
        String query = Requests.query(Requests.param("max", max), Requests.param("wait", wait == null ? null : Json.wire(wait)),
                Requests.param("lease", lease == null ? null : Json.wire(lease)));
        HttpRequest request = requests.request(requests.uri(groupPath(topic, group) + "/fetch", query), wait)
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        return answer(requests.send(request), r -> Json.fetched(json(r)));
    }

    public Fetched fetch(String topic, String group, int max, Duration wait, Duration lease) {
        return Requests.await(fetchAsync(topic, group, max, wait, lease));
    }

    /**
     * Acknowledges {@code offsets} held under {@code lease}; answers the group's state after it. Offsets not held
     * under that lease (it ran out, or they were never leased to it) refuse the whole call with
     * {@code 409 lease-not-held} and change nothing.
     */
    public CompletableFuture<GroupState> ackAsync(String topic, String group, String lease, List<Long> offsets) {
        return settle(topic, group, "/ack", Json.settle(lease, offsets, null, null));
    }

    public GroupState ack(String topic, String group, String lease, List<Long> offsets) {
        return Requests.await(ackAsync(topic, group, lease, offsets));
    }

    /**
     * Gives {@code offsets} back to the group: due again after {@code delay} (null: at once), with {@code reason}
     * (may be null) kept for the dead-letter headers. A message nacked on its last attempt goes to
     * {@code {topic}.dlq}. The same {@code 409 lease-not-held} as {@link #ack}.
     */
    public CompletableFuture<GroupState> nackAsync(String topic, String group, String lease, List<Long> offsets, Duration delay,
            String reason) {
        return settle(topic, group, "/nack", Json.settle(lease, offsets, delay, reason));
    }

    public GroupState nack(String topic, String group, String lease, List<Long> offsets, Duration delay, String reason) {
        return Requests.await(nackAsync(topic, group, lease, offsets, delay, reason));
    }

    /**
     * Hands {@code offsets} back unhandled: due again at once, and not counted as a delivery attempt (the
     * application never worked on them). For a consumer that took more than it will handle. The same
     * {@code 409 lease-not-held} as {@link #ack}.
     */
    public CompletableFuture<GroupState> releaseAsync(String topic, String group, String lease, List<Long> offsets) {
        return settle(topic, group, "/release", Json.settle(lease, offsets, null, null));
    }

    public GroupState release(String topic, String group, String lease, List<Long> offsets) {
        return Requests.await(releaseAsync(topic, group, lease, offsets));
    }

    /** One group's state; {@code 404 not-found} when the group does not exist. */
    public CompletableFuture<GroupState> groupStateAsync(String topic, String group) {
        HttpRequest request = requests.request(requests.uri(groupPath(topic, group), null), null).GET().build();
        return answer(requests.send(request), r -> Json.groupState(json(r)));
    }

    public GroupState groupState(String topic, String group) {
        return Requests.await(groupStateAsync(topic, group));
    }

    /** The state of every group of {@code topic} (empty when it has none). */
    public CompletableFuture<List<GroupState>> groupsAsync(String topic) {
        HttpRequest request = requests.request(requests.uri(Requests.topicPath(topic) + "/groups", null), null).GET().build();
        return answer(requests.send(request), r -> {
            List<GroupState> groups = new ArrayList<>();
            json(r).path("groups").forEach(g -> groups.add(Json.groupState(g)));
            return List.copyOf(groups);
        });
    }

    public List<GroupState> groups(String topic) {
        return Requests.await(groupsAsync(topic));
    }

    /** Moves the group (creating it if needed) and drops every lease; answers its state after the move. */
    public CompletableFuture<GroupState> resetGroupAsync(String topic, String group, GroupReset to) {
        Objects.requireNonNull(to, "to");
        return post(groupPath(topic, group) + "/reset", Json.reset(to));
    }

    public GroupState resetGroup(String topic, String group, GroupReset to) {
        return Requests.await(resetGroupAsync(topic, group, to));
    }

    /**
     * Starts a member of {@code group}: messages go to {@code handler} one at a time and are acknowledged when it
     * returns, nacked when it throws (see {@link GroupConsumer}). Returns at once; close the consumer (or this
     * client) to stop it.
     */
    public GroupConsumer consume(String topic, String group, ConsumeOptions options, GroupHandler handler) {
        Objects.requireNonNull(handler, "handler");
        ConsumerLoop loop = new ConsumerLoop(this, requests, topic, group, options, handler, consumers::remove);
        consumers.add(loop);
        loop.start();
        return loop;
    }

    /** The group consumers of this client that have not ended. */
    public List<GroupConsumer> consumers() {
        return List.copyOf(consumers);
    }

    private CompletableFuture<GroupState> settle(String topic, String group, String verb, JsonNode body) {
        return post(groupPath(topic, group) + verb, body);
    }

    private CompletableFuture<GroupState> post(String path, JsonNode body) {
        HttpRequest request = requests.request(requests.uri(path, null), null)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8))
                .build();
        return answer(requests.send(request), r -> Json.groupState(json(r)));
    }

    private static String groupPath(String topic, String group) {
        return Requests.topicPath(topic) + "/groups/" + group;
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
        for (GroupConsumer c : List.copyOf(consumers)) {
            c.close();
        }
        if (ownsHttp) {
            requests.http().close();
        }
    }

    private URI messagesUri(String topic, Durability durability) {
        String query = durability == null || durability == Durability.SYNC ? null : Requests.param("durability", durability.wire());
        return requests.uri(Requests.topicPath(topic) + "/messages", query);
    }

    /** {@code sent} mapped by {@code body}; cancelling the result hangs up the exchange (see Requests#cancelling). */
    private static <T> CompletableFuture<T> answer(CompletableFuture<HttpResponse<byte[]>> sent,
            Function<HttpResponse<byte[]>, T> body) {
        return Requests.cancelling(sent, sent.thenApply(body));
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
