package dev.switchboard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * One group consumer over WebSocket: {@code consume} with a prefetch window, then every message is
 * acknowledged, in batches of {@code ackEvery} offsets (and whatever is left every few milliseconds,
 * by {@link #flush}), as a real consumer that processes quickly would.
 */
final class WsGroupClient implements WebSocket.Listener {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String topic;
    private final String group;
    private final int ackEvery;
    private final Stats stats;
    private final StringBuilder partial = new StringBuilder();
    private final List<Long> toAck = new ArrayList<>();
    private CompletableFuture<?> lastSend = CompletableFuture.completedFuture(null);
    private WebSocket socket;

    private WsGroupClient(String topic, String group, int ackEvery, Stats stats) {
        this.topic = topic;
        this.group = group;
        this.ackEvery = ackEvery;
        this.stats = stats;
    }

    static WsGroupClient open(HttpClient http, Target target, String topic, String group, int maxInFlight, Stats stats) throws Exception {
        WsGroupClient c = new WsGroupClient(topic, group, Math.max(1, Math.min(100, maxInFlight / 4)), stats);
        URI ws = URI.create(target.url().replaceFirst("^http", "ws") + "/v1/ws");
        WebSocket.Builder b = http.newWebSocketBuilder();
        if (target.authorization() != null) {
            b.header("Authorization", target.authorization());
        }
        c.socket = b.buildAsync(ws, c).get(10, TimeUnit.SECONDS);
        c.send("{\"op\":\"consume\",\"topic\":\"" + topic + "\",\"group\":\"" + group + "\",\"max_in_flight\":" + maxInFlight + "}");
        return c;
    }

    @Override
    public void onOpen(WebSocket ws) {
        ws.request(Long.MAX_VALUE); // the server's window is the flow control
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
        stats.failed(error);
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
        stats.failed(new IllegalStateException("the server closed the WebSocket: " + code + " " + reason));
        return null;
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            String text = partial.toString();
            partial.setLength(0);
            try {
                handle(text);
            } catch (RuntimeException e) {
                stats.failed(e);
            }
        }
        return null;
    }

    private void handle(String text) {
        JsonNode frame;
        try {
            frame = JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("not JSON from the server: " + text, e);
        }
        String type = frame.path("type").asText();
        if (type.equals("error")) {
            throw new IllegalStateException("server error frame: " + text);
        }
        if (!type.equals("message")) {
            return;
        }
        stats.delivered(frame.path("data").path("t").asLong(), frame.path("attempt").asInt());
        synchronized (this) {
            toAck.add(frame.path("offset").asLong());
            if (toAck.size() >= ackEvery) {
                ackPending();
            }
        }
    }

    /** Acknowledges what is pending now: called every few milliseconds so a quiet stream's tail is acked too. */
    synchronized void flush() {
        if (!toAck.isEmpty()) {
            ackPending();
        }
    }

    void close() {
        socket.abort();
    }

    private void ackPending() {
        StringBuilder offsets = new StringBuilder();
        for (Long o : toAck) {
            offsets.append(offsets.isEmpty() ? "" : ",").append(o);
        }
        int n = toAck.size();
        toAck.clear();
        send("{\"op\":\"ack\",\"topic\":\"" + topic + "\",\"group\":\"" + group + "\",\"offsets\":[" + offsets + "]}");
        stats.acked.add(n); // an ack the server refuses comes back as an error frame, which stops the run
        stats.requests.increment();
    }

    /** The JDK client allows one outstanding send: chain them. */
    private synchronized void send(String text) {
        lastSend = lastSend.thenCompose(x -> socket.sendText(text, true));
    }
}
