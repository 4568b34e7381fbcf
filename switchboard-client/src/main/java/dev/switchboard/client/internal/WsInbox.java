package dev.switchboard.client.internal;

import java.net.URI;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;

/**
 * A JDK WebSocket listener that joins a message's fragments and queues whole frames (parsed JSON), closes and
 * errors for one reading thread. Lazy: the next frame is asked for once the reader handled this one (a
 * subscription's flow control). Eager: every frame is asked for at once, so pings are answered while a group
 * consumer's handler works (the server's prefetch window bounds what can queue). Not API.
 */
public final class WsInbox implements WebSocket.Listener {
    /** Queued when the server closed the socket. */
    public record Closed(int code, String reason) {}

    private final BlockingQueue<Object> inbox;
    private final Runnable alive;
    private final boolean eager;
    private final StringBuilder text = new StringBuilder();

    public WsInbox(BlockingQueue<Object> inbox, Runnable alive, boolean eager) {
        this.inbox = inbox;
        this.alive = alive;
        this.eager = eager;
    }

    /** {@code /v1/ws} on the client's base URL, {@code ws://} or {@code wss://}. */
    public static URI uri(Requests requests) {
        URI http = requests.uri("/v1/ws", null);
        return URI.create(http.toString().replaceFirst("^http", "ws"));
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
        if (eager) {
            ws.request(1);
        }
        return null; // lazy: the next frame is requested once this one is handled
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
