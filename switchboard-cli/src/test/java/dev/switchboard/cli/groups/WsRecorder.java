package dev.switchboard.cli.groups;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A WebSocket on {@code /v1/ws} driven by the test frame by frame: it sends what it is told and records every frame. */
final class WsRecorder implements WebSocket.Listener, AutoCloseable {
    private final List<JsonNode> frames = new CopyOnWriteArrayList<>();
    private final StringBuilder text = new StringBuilder();
    private final HttpClient http = HttpClient.newHttpClient();
    private final WebSocket socket;

    WsRecorder(String url) throws Exception {
        socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create(url.replaceFirst("^http", "ws") + "/v1/ws"), this).get(10, TimeUnit.SECONDS);
    }

    void send(String frame) {
        socket.sendText(frame, true).join();
    }

    /** The {@code message} frames so far, in arrival order. */
    List<JsonNode> messages() {
        return frames.stream().filter(f -> f.path("type").asText().equals("message")).toList();
    }

    List<JsonNode> ofType(String type) {
        return frames.stream().filter(f -> f.path("type").asText().equals(type)).toList();
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
            frames.add(GroupApi.json(text.toString()));
            text.setLength(0);
        }
        ws.request(1);
        return null;
    }

    @Override
    public void close() {
        socket.abort();
        http.shutdownNow();
    }
}
