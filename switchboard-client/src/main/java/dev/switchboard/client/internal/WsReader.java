package dev.switchboard.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.client.SwitchboardClientException;
import java.net.http.WebSocket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * {@code GET /v1/ws} with JSON frames (docs/api/websocket.md): one subscribe frame carrying {@code after} and
 * {@code epoch}, then {@code subscribed}, {@code message}, {@code gap} and {@code error} frames. The JDK's
 * WebSocket calls back on its own threads; frames are queued and handled on the subscription's thread, in order.
 */
public record WsReader(Requests requests, String topic) implements Reader {
    @Override
    public void run(Sink sink) throws Exception {
        BlockingQueue<Object> inbox = new LinkedBlockingQueue<>(); // bounded by the one frame requested at a time
        WebSocket.Builder builder = requests.http().newWebSocketBuilder().connectTimeout(requests.timeout());
        requests.authorize(builder::header);
        CompletableFuture<WebSocket> opening = builder.buildAsync(WsInbox.uri(requests), new WsInbox(inbox, sink::alive, false));
        sink.onAbort(() -> opening.thenAccept(WebSocket::abort));
        WebSocket ws;
        try {
            ws = Requests.await(opening);
        } catch (SwitchboardClientException e) {
            throw SwitchboardClientException.transport("WebSocket connect for " + topic, e.getCause() == null ? e : e.getCause());
        }
        try {
            ObjectNode subscribe = Json.object().put("op", "subscribe").put("topic", topic).put("id", 1);
            if (sink.after() != null) {
                subscribe.put("after", sink.after());
            }
            if (sink.epoch() != null) {
                subscribe.put("epoch", sink.epoch());
            }
            ws.sendText(Json.MAPPER.writeValueAsString(subscribe), true);
            while (true) {
                Object next = inbox.take();
                if (next instanceof WsInbox.Closed c) {
                    throw new SwitchboardClientException(0, "closed",
                            "the server closed the WebSocket: " + c.code() + " " + c.reason(), true, null);
                }
                if (next instanceof Throwable t) {
                    throw SwitchboardClientException.transport("WebSocket of " + topic, t);
                }
                handle((JsonNode) next, sink);
                ws.request(1);
            }
        } finally {
            ws.abort();
        }
    }

    private void handle(JsonNode frame, Sink sink) {
        switch (frame.path("type").asText()) {
            case "subscribed" -> {
                sink.connected(frame.path("epoch").asText(null));
                if (sink.after() == null) {
                    sink.position(frame.path("next").asLong());
                }
            }
            case "message" -> sink.message(Json.message(topic, frame));
            case "gap" -> sink.gap(Json.gap(frame));
            case "error" -> throw Json.problem(frame.path("status").asInt(), frame);
            default -> { } // frames of later protocol versions
        }
    }
}
