package dev.switchboard.server.ws;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.error.CloseReason;
import dev.switchboard.core.hub.Session;
import dev.switchboard.core.hub.Subscription;
import dev.switchboard.core.message.Message;
import dev.switchboard.server.ops.ServerMetrics;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * One topic subscribed on one WebSocket: the hub sees one {@link Session} per topic (so topic info
 * counts it), while bytes, budget and closing belong to the socket's {@link WebSocketSession}.
 */
final class WsTopicSession implements Session {
    final WebSocketSession socket;
    final String topic;
    final JsonNode id;
    Subscription subscription; // event loop only
    boolean confirmed; // event loop only: "subscribed" was sent
    volatile boolean cancelled;

    WsTopicSession(WebSocketSession socket, String topic, JsonNode id) {
        this.socket = socket;
        this.topic = topic;
        this.id = id;
    }

    @Override
    public String transport() {
        return ServerMetrics.WS;
    }

    @Override
    public void deliver(Subscription sub, List<Message> messages) {
        if (!cancelled) {
            socket.deliver(this, sub, messages);
        }
    }

    @Override
    public void skipped(Subscription sub, long after, long first) {
        if (!cancelled) {
            socket.gap(this, sub, after, first);
        }
    }

    @Override
    public CompletionStage<Void> writable() {
        return socket.writable();
    }

    @Override
    public boolean isOpen() {
        return !cancelled && socket.isOpen();
    }

    @Override
    public void close(CloseReason reason) {
        socket.close(reason);
    }
}
