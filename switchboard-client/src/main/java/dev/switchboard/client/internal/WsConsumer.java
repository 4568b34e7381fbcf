package dev.switchboard.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.client.ConsumeOptions;
import dev.switchboard.client.SwitchboardClientException;
import java.net.http.WebSocket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A group consumer over {@code GET /v1/ws}: one {@code consume} op with the prefetch window ({@code max_in_flight}),
 * then {@code message} frames, each answered by an {@code ack} or {@code nack} op (with an id, so a refusal comes
 * back as an error frame naming it). Frames are read eagerly on the JDK's threads (pings stay answered while the
 * handler works; the window bounds the queue) and handled on the consumer's thread. Closing sends {@code stop}, so
 * the server gives back what was pushed and not handled. Not API.
 */
record WsConsumer(Requests requests, String topic, String group, ConsumeOptions options) implements ConsumerReader {
    private static final Object STOP = new Object();
    private static final long CONSUME_ID = 0;
    /** How long a closing consumer waits for {@code stopped}, then for the close handshake. */
    private static final long GOODBYE_MILLIS = 2_000;

    @Override
    public void run(ConsumerLoop loop) throws Exception {
        BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
        AtomicLong lastAlive = new AtomicLong(System.nanoTime());
        WebSocket.Builder builder = requests.http().newWebSocketBuilder().connectTimeout(requests.timeout());
        requests.authorize(builder::header);
        CompletableFuture<WebSocket> opening = builder.buildAsync(WsInbox.uri(requests),
                new WsInbox(inbox, () -> lastAlive.set(System.nanoTime()), true));
        loop.onClose(() -> inbox.add(STOP), () -> opening.thenAccept(WebSocket::abort));
        WebSocket ws;
        try {
            ws = Requests.await(opening);
        } catch (SwitchboardClientException e) {
            throw SwitchboardClientException.transport("WebSocket connect for group " + group + " of " + topic,
                    e.getCause() == null ? e : e.getCause());
        }
        try {
            ObjectNode consume = op("consume").put("max_in_flight", options.maxInFlight()).put("id", CONSUME_ID);
            if (options.lease() != null) {
                consume.put("lease", Json.wire(options.lease()));
            }
            send(ws, consume);
            long nextId = CONSUME_ID + 1;
            long idle = options.idleTimeout().toNanos();
            while (true) {
                Object next = inbox.poll(Math.max(10, options.idleTimeout().toMillis() / 4), TimeUnit.MILLISECONDS);
                if (next == null) {
                    if (System.nanoTime() - lastAlive.get() > idle) {
                        throw new SwitchboardClientException(0, SwitchboardClientException.TRANSPORT, "nothing arrived for "
                                + options.idleTimeout().toMillis() + "ms (idle timeout): the connection is presumed dead", true, null);
                    }
                    continue;
                }
                if (next == STOP || !loop.isOpen()) {
                    stop(ws, inbox);
                    return;
                }
                if (next instanceof WsInbox.Closed c) {
                    throw new SwitchboardClientException(0, "closed",
                            "the server closed the WebSocket: " + c.code() + " " + c.reason(), true, null);
                }
                if (next instanceof Throwable t) {
                    throw SwitchboardClientException.transport("WebSocket of group " + group + " of " + topic, t);
                }
                JsonNode frame = (JsonNode) next;
                switch (frame.path("type").asText()) {
                    case "consuming" -> loop.connected();
                    case "message" -> {
                        String failure = loop.handle(Json.groupMessage(topic, group, frame));
                        ObjectNode settle = failure == null ? op("ack") : op("nack").put("reason", failure);
                        if (failure != null && !options.nackDelay().isZero()) {
                            settle.put("delay", Json.wire(options.nackDelay()));
                        }
                        settle.put("id", nextId++).putArray("offsets").add(frame.path("offset").asLong());
                        send(ws, settle);
                    }
                    case "error" -> {
                        SwitchboardClientException problem = Json.problem(frame.path("status").asInt(), frame);
                        if (frame.path("id").asLong(CONSUME_ID) == CONSUME_ID) {
                            throw problem; // the consume itself (or the socket) was refused
                        }
                        loop.problem(problem);
                    }
                    default -> { } // acked, nacked, and frames of later protocol versions
                }
            }
        } finally {
            ws.abort();
        }
    }

    /** Says stop, waits a moment for {@code stopped} (the server has given back what it held), then closes. */
    private void stop(WebSocket ws, BlockingQueue<Object> inbox) throws InterruptedException {
        try {
            send(ws, op("stop"));
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GOODBYE_MILLIS);
            for (long left; (left = deadline - System.nanoTime()) > 0; ) {
                Object next = inbox.poll(left, TimeUnit.NANOSECONDS);
                if (next == null || next instanceof WsInbox.Closed || next instanceof Throwable
                        || (next instanceof JsonNode f && f.path("type").asText().equals("stopped"))) {
                    break; // messages pushed meanwhile are not handled: the stop gives them back
                }
            }
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(GOODBYE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (SwitchboardClientException | ExecutionException | TimeoutException e) {
            // the socket is gone: the server gives back what it held when it notices
        }
    }

    private ObjectNode op(String op) {
        return Json.object().put("op", op).put("topic", topic).put("group", group);
    }

    /** One frame at a time: the JDK refuses a send while the previous one is still going out. */
    private static void send(WebSocket ws, ObjectNode frame) {
        Requests.await(ws.sendText(frame.toString(), true));
    }
}
