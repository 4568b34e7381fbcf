package dev.switchboard.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.client.SwitchboardClientException;
import java.net.URI;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * {@code GET /v1/ws} with JSON frames (docs/api/websocket.md): one subscribe frame carrying {@code after} and
 * {@code epoch}, then {@code subscribed}, {@code message}, {@code gap} and {@code error} frames. The JDK's
 * WebSocket calls back on its own threads; frames are queued and handled on the subscription's thread, in order.
 */
public record WsReader(Requests requests, String topic) implements Reader {
    private record Closed(int code, String reason) {}

    @Override
    public void run(Sink sink) throws Exception {
        BlockingQueue<Object> inbox = new LinkedBlockingQueue<>(); // bounded by the one frame requested at a time
        WebSocket.Builder builder = requests.http().newWebSocketBuilder().connectTimeout(requests.timeout());
        requests.authorize(builder::header);
        CompletableFuture<WebSocket> opening = builder.buildAsync(wsUri(), new Inbox(inbox, sink::alive));
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
                if (next instanceof Closed c) {
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

    private URI wsUri() {
        URI http = requests.uri("/v1/ws", null);
        return URI.create(http.toString().replaceFirst("^http", "ws"));
    }

    /** Joins a message's fragments and queues whole frames, closes and errors; asks for one frame at a time. */
    private static final class Inbox implements WebSocket.Listener {
        private final BlockingQueue<Object> inbox;
        private final Runnable alive;
        private final StringBuilder text = new StringBuilder();

        Inbox(BlockingQueue<Object> inbox, Runnable alive) {
            this.inbox = inbox;
            this.alive = alive;
        }

        @Override
        public CompletionStage<?> onPing(WebSocket ws, ByteBuffer message) {
            alive.run(); // the server pings a quiet socket; the JDK answers the pong itself
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            alive.run();
            text.append(data);
            if (!last) {
                ws.request(1);
                return null;
            }
            try {
                inbox.add(Json.parse(text.toString()));
            } catch (Exception e) {
                inbox.add(e);
            }
            text.setLength(0);
            return null; // the next frame is requested once this one is handled
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            ws.request(1); // the server sends text frames only
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
            inbox.add(new Closed(code, reason));
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            inbox.add(error);
        }
    }
}
