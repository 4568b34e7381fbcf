package dev.switchboard.cli.groups;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** The few plain HTTP calls the tests make themselves: a group's state, one fetch, ack and nack. */
final class GroupApi {
    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();
    private final Endpoint endpoint;

    GroupApi(Endpoint endpoint) {
        this.endpoint = endpoint;
    }

    static String groupPath(String topic, String group) {
        return "/v1/topics/" + topic + "/groups/" + group;
    }

    /** {@code GET .../groups/{group}}: committed, delivered, pending, in_flight, lag. */
    JsonNode state(String topic, String group) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri(groupPath(topic, group))).GET().build());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("group state: " + r.statusCode() + " " + r.body());
        }
        return json(r.body());
    }

    /** {@code POST} with a JSON body (or none); answers status and body. */
    HttpResponse<String> post(String path, String body) {
        return send(HttpRequest.newBuilder(uri(path)).header("content-type", "application/json")
                .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build());
    }

    long publish(String topic, String payload) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/v1/topics/" + topic + "/messages"))
                .header("content-type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(payload)).build());
        if (r.statusCode() != 201) {
            throw new IllegalStateException("publish: " + r.statusCode() + " " + r.body());
        }
        return json(r.body()).get("offset").asLong();
    }

    static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code {"lease":..,"offsets":[..]}} plus extra fields such as {@code ,"delay":"0s"}. */
    static String settleBody(String lease, Iterable<Long> offsets, String extra) {
        StringBuilder list = new StringBuilder();
        offsets.forEach(o -> list.append(list.isEmpty() ? "" : ",").append(o));
        return "{\"lease\":\"" + lease + "\",\"offsets\":[" + list + "]" + extra + "}";
    }

    private URI uri(String path) {
        return URI.create(endpoint.current().url() + path);
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
