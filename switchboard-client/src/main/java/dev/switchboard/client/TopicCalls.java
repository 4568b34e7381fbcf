package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.client.internal.Json;
import dev.switchboard.client.internal.Requests;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The topic calls behind {@link SwitchboardClient}: publish (one or a batch), read and long-poll, list. Thread-safe. */
final class TopicCalls {
    private final Requests requests;

    TopicCalls(Requests requests) {
        this.requests = requests;
    }

    CompletableFuture<PublishResult> publish(String topic, byte[] body, String contentType, Durability durability) {
        HttpRequest request = requests.request(messagesUri(topic, durability), null)
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return requests.exchange(request, r -> {
            JsonNode j = Json.body(r);
            return new PublishResult(j.path("topic").asText(), j.path("offset").asLong(), Json.instant(j.path("time")));
        });
    }

    CompletableFuture<BatchResult> publishBatch(String topic, List<String> jsonValues, Durability durability) {
        StringBuilder ndjson = new StringBuilder();
        for (String v : jsonValues) {
            ndjson.append(oneLine(v)).append('\n');
        }
        HttpRequest request = requests.request(messagesUri(topic, durability), null)
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString(ndjson.toString(), StandardCharsets.UTF_8))
                .build();
        return requests.exchange(request, r -> {
            JsonNode j = Json.body(r);
            return new BatchResult(j.path("topic").asText(), j.path("first").asLong(), j.path("last").asLong(),
                    j.path("count").asInt(), Json.instant(j.path("time")));
        });
    }

    CompletableFuture<Page> read(String topic, Long after, int limit, Duration wait, String epoch) {
        String query = Requests.query(Requests.param("after", after), Requests.param("limit", limit),
                Requests.param("wait", wait == null ? null : Json.wire(wait)), Requests.param("epoch", epoch));
        return requests.get(Requests.topicPath(topic) + "/messages", query, wait, Json::page);
    }

    CompletableFuture<List<TopicSummary>> list() {
        return requests.get("/v1/topics", null, null, j -> {
            List<TopicSummary> topics = new ArrayList<>();
            j.path("topics").forEach(t -> topics.add(new TopicSummary(t.path("topic").asText(),
                    t.path("first").asLong(), t.path("last").asLong(), t.path("count").asLong())));
            return List.copyOf(topics);
        });
    }

    private URI messagesUri(String topic, Durability durability) {
        String query = durability == null || durability == Durability.SYNC ? null : Requests.param("durability", durability.wire());
        return requests.uri(Requests.topicPath(topic) + "/messages", query);
    }

    private static String oneLine(String json) {
        // NDJSON is one value per line; re-serializing makes a pretty-printed value one line.
        try {
            return Json.MAPPER.writeValueAsString(Json.parse(json));
        } catch (IOException e) {
            throw new IllegalArgumentException("not a JSON value: " + json, e);
        }
    }
}
