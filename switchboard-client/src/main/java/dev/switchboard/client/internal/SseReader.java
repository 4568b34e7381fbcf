package dev.switchboard.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.switchboard.client.Message;
import dev.switchboard.client.SwitchboardClientException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * {@code GET /v1/topics/{topic}/events} read line by line (docs/api/sse.md): {@code id:} is the offset,
 * {@code data:} lines are joined with newlines, {@code event: gap} and {@code event: close} are the server's
 * notices, comments are heartbeats. Resumes with {@code Last-Event-ID} and {@code ?epoch=}.
 */
public record SseReader(Requests requests, String topic) implements Reader {

    @Override
    public void run(Sink sink) throws Exception {
        if (sink.after() == null) {
            // "From now on" must survive a reconnect before the first message: learn where "now" is first.
            var page = Json.page(Json.parse(Requests.await(requests.send(requests.request(
                    requests.uri(Requests.topicPath(topic) + "/messages", "limit=1"), null).GET().build())).body()));
            sink.connected(page.epoch());
            sink.position(page.next());
        }
        String query = Requests.query(Requests.param("epoch", sink.epoch()));
        HttpRequest.Builder request = requests.request(requests.uri(Requests.topicPath(topic) + "/events", query), null)
                .header("Accept", "text/event-stream");
        if (sink.after() != null) {
            request.header("Last-Event-ID", Long.toString(sink.after()));
        }
        HttpResponse<InputStream> response;
        try {
            response = requests.http().send(request.GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw SwitchboardClientException.transport("SSE connect to " + topic, e);
        }
        try (InputStream body = response.body()) {
            sink.onAbort(() -> closeQuietly(body));
            if (response.statusCode() != 200) {
                throw Json.problem(response.statusCode(), body.readAllBytes());
            }
            sink.connected(response.headers().firstValue("Switchboard-Epoch").orElse(null));
            read(new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8)), sink);
        } catch (IOException e) {
            throw SwitchboardClientException.transport("SSE stream of " + topic, e);
        }
    }

    private void read(BufferedReader lines, Sink sink) throws IOException {
        String id = null;
        String event = null;
        StringBuilder data = null;
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            sink.alive();
            if (line.isEmpty()) {
                if (data != null) {
                    dispatch(sink, event, id, data.toString());
                }
                id = null;
                event = null;
                data = null;
                continue;
            }
            if (line.startsWith(":")) {
                continue; // heartbeat comment
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(line.startsWith(": ", colon) ? colon + 2 : colon + 1);
            switch (field) {
                case "id" -> id = value;
                case "event" -> event = value;
                case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                default -> { } // retry: is for browsers; the SDK has its own backoff
            }
        }
        throw SwitchboardClientException.transport("SSE stream of " + topic, new IOException("the stream ended"));
    }

    private void dispatch(Sink sink, String event, String id, String data) throws IOException {
        if (event == null || event.equals("message")) {
            if (id == null) {
                return; // not one of ours: every Switchboard message has its offset as id
            }
            sink.message(new Message(topic, Long.parseLong(id), null, payload(data), null, null, Map.of()));
        } else if (event.equals("gap")) {
            sink.gap(Json.gap(Json.parse(data)));
        } else if (event.equals("close")) {
            String reason = Json.parse(data).path("reason").asText("closed");
            throw new SwitchboardClientException(0, "closed", "the server closed the SSE stream: " + reason, true, null);
        }
    }

    /** SSE does not carry the content type: what parses as JSON is JSON, anything else is text. */
    private static JsonNode payload(String data) {
        try {
            JsonNode json = Json.parse(data);
            return json.isMissingNode() ? TextNode.valueOf(data) : json;
        } catch (IOException e) {
            return TextNode.valueOf(data);
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // closing to abort: nothing to do if it fails
        }
    }
}
