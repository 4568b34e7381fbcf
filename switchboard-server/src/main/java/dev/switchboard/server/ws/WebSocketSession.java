package dev.switchboard.server.ws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.error.CloseReason;
import dev.switchboard.core.error.ErrorCode;
import dev.switchboard.core.error.SwitchboardException;
import dev.switchboard.core.hub.Subscription;
import dev.switchboard.core.message.Message;
import dev.switchboard.server.ServerContext;
import dev.switchboard.server.api.LingeringClose;
import dev.switchboard.server.ops.ServerMetrics;
import dev.switchboard.server.stream.OutboundBudget;
import dev.switchboard.server.stream.StreamClose;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The server side of one WebSocket: its topics, its outbound budget, and every write to it.
 *
 * <p>Threads: {@link #deliver} and {@link #gap} run on hub threads; they encode (once per message,
 * shared by all subscribers), reserve the bytes, and hand one task per batch to the event loop, which
 * writes it with one flush. The topic map and everything else is confined to the event loop.
 */
final class WebSocketSession {
    private static final Logger LOG = Logger.getLogger(WebSocketSession.class.getName());

    /** For {@link #end}: a close frame without a body, the echo of one without a body. */
    static final int NO_CODE = -1;
    /** How long a close frame may wait behind a backlog the client does not read. */
    private static final long FAREWELL_GRACE_MILLIS = 5_000;

    private final ServerContext context;
    private final ChannelHandlerContext ctx;
    private final OutboundBudget budget;
    private final ServerMetrics metrics;
    // The socket's topics (event loop only): most sockets hold one, so a field; a map from the second on.
    private WsTopicSession oneTopic;
    private Map<String, WsTopicSession> moreTopics;
    private volatile boolean closing;
    private boolean ended; // event loop only: a close frame was sent or the socket is gone

    WebSocketSession(ServerContext context, ChannelHandlerContext ctx) {
        this.context = context;
        this.ctx = ctx;
        this.budget = new OutboundBudget(context.config().limits().sessionBudgetBytes());
        this.metrics = context.metrics();
    }

    /** {@code op: subscribe} (event loop). */
    void subscribe(String topic, Long after, String epoch, JsonNode id) {
        if (topic(topic) != null) {
            send(WsFrames.error(id, ErrorCode.BAD_REQUEST, "this socket is already subscribed to '" + topic
                    + "'; unsubscribe first to subscribe again from another position"));
            return;
        }
        int max = context.config().limits().maxSubscriptionsPerConnection();
        if (topicCount() >= max) {
            send(WsFrames.error(id, ErrorCode.TOO_MANY_SUBSCRIPTIONS, "subscribe to '" + topic + "' refused: this socket holds "
                    + topicCount() + " subscriptions, the limit is " + max + " (max-subscriptions)"));
            return;
        }
        WsTopicSession t = new WsTopicSession(this, topic, id);
        addTopic(t);
        context.hub().subscribe(t, topic, after, epoch).whenComplete((sub, error) -> StreamClose.run(ctx, () -> {
            if (error != null) {
                removeTopic(t);
                fail(id, error);
            } else if (t.cancelled || ended) {
                context.hub().unsubscribe(sub); // unsubscribed or gone while the hub was answering
            } else {
                confirm(t, sub);
            }
        }));
    }

    /** {@code op: unsubscribe} (event loop). */
    void unsubscribe(String topic, JsonNode id) {
        WsTopicSession t = topic(topic);
        if (t != null) {
            removeTopic(t);
        }
        if (t == null) {
            send(WsFrames.error(id, ErrorCode.BAD_REQUEST, "this socket is not subscribed to '" + topic + "'"));
            return;
        }
        t.cancelled = true;
        if (t.subscription != null) {
            context.hub().unsubscribe(t.subscription);
        }
        send(WsFrames.reply("unsubscribed", topic, id));
    }

    void deliver(WsTopicSession t, Subscription sub, List<Message> messages) {
        if (closing) {
            return;
        }
        byte[][] frames = new byte[messages.size()][];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = messages.get(i).encoded(WsFrames.MESSAGE).bytes();
        }
        enqueue(frames, "'" + t.topic + "'", messages.getFirst().offset() - 1, ServerMetrics.WS, () -> topic(t.topic) == t,
                () -> confirm(t, sub));
    }

    /** Frames of a consumer group's deliveries (any thread), held to the same budget as topic messages. */
    void deliverFrames(byte[][] frames, String what, long before) {
        if (!closing) {
            enqueue(frames, what, before, ServerMetrics.GROUP_WS, () -> true, () -> {});
        }
    }

    /**
     * Reserves the frames' bytes in the budget (past it: slow consumer, closed) and hands one write of
     * them all to the event loop, which drops them if {@code stillWanted} no longer holds.
     */
    private void enqueue(byte[][] frames, String what, long before, String metric, java.util.function.BooleanSupplier stillWanted,
            Runnable beforeWrite) {
        long bytes = 0;
        for (byte[] f : frames) {
            bytes += f.length;
        }
        if (!budget.tryReserve(bytes)) {
            closing = true;
            metrics.onSlowConsumer(ServerMetrics.WS);
            LOG.warning(budget.slowConsumerLine("ws", what, ctx.channel().remoteAddress(), bytes, before));
            StreamClose.run(ctx, () -> end(CloseCodes.TRY_AGAIN_LATER, CloseReason.SLOW_CONSUMER.text()));
            return;
        }
        long reserved = bytes;
        int n = frames.length;
        ByteBuf batch = Unpooled.wrappedBuffer(frames);
        boolean queued = StreamClose.run(ctx, () -> {
            if (ended || !ctx.channel().isActive() || !stillWanted.getAsBoolean()) {
                batch.release();
                budget.release(reserved);
                return;
            }
            beforeWrite.run();
            ctx.writeAndFlush(batch).addListener(f -> budget.release(reserved));
            metrics.onDelivered(metric, n);
        });
        if (!queued) {
            batch.release();
            budget.release(reserved);
        }
    }

    /** Runs {@code task} on this socket's event loop, unless the socket is gone. */
    void onLoop(Runnable task) {
        StreamClose.run(ctx, task);
    }

    void gap(WsTopicSession t, Subscription sub, long after, long first) {
        StreamClose.run(ctx, () -> {
            if (!ended && topic(t.topic) == t) {
                confirm(t, sub);
                send(WsFrames.reply("gap", t.topic, null).put("after", after).put("first", first));
            }
        });
    }

    CompletionStage<Void> writable() {
        return budget.writable();
    }

    boolean isOpen() {
        return !closing && ctx.channel().isActive();
    }

    /** The hub ends the session (any thread). */
    void close(CloseReason reason) {
        closing = true;
        int code = switch (reason) {
            case SLOW_CONSUMER -> CloseCodes.TRY_AGAIN_LATER;
            case SERVER_SHUTDOWN -> CloseCodes.GOING_AWAY;
            case STORE_UNAVAILABLE -> CloseCodes.INTERNAL_ERROR;
            case TOKEN_EXPIRED -> CloseCodes.POLICY_VIOLATION;
        };
        StreamClose.run(ctx, () -> end(code, reason.text()));
    }

    /**
     * Sends a close frame ({@link #NO_CODE}: one without a body), then ends the connection (event loop).
     * RFC 6455 §7.1.1: once the frame is out, our side is shut down and whatever the client still sends
     * (its close reply, the rest of a refused message) is read and dropped until it closes or a second
     * passes, so unread bytes do not turn into a reset that destroys the close frame. A client that
     * reads nothing gets {@link #FAREWELL_GRACE_MILLIS} before the connection is closed without it.
     */
    void end(int code, String reason) {
        closing = true;
        if (ended || !ctx.channel().isActive()) {
            return;
        }
        ended = true;
        CloseWebSocketFrame close = code == NO_CODE ? new CloseWebSocketFrame() : new CloseWebSocketFrame(code, CloseCodes.fit(reason));
        LingeringClose.after(ctx.writeAndFlush(close));
        ctx.executor().schedule(() -> ctx.channel().close(), FAREWELL_GRACE_MILLIS, TimeUnit.MILLISECONDS);
    }

    boolean ended() {
        return ended;
    }

    /** The connection is gone (event loop): leave every topic. */
    void closed() {
        closing = true;
        ended = true;
        budget.close();
        if (oneTopic != null) {
            leave(oneTopic);
            oneTopic = null;
        }
        if (moreTopics != null) {
            moreTopics.values().forEach(this::leave);
            moreTopics = null;
        }
    }

    private void leave(WsTopicSession t) {
        t.cancelled = true;
        if (t.subscription != null) {
            context.hub().unsubscribe(t.subscription);
        }
    }

    private WsTopicSession topic(String topic) {
        if (oneTopic != null && oneTopic.topic.equals(topic)) {
            return oneTopic;
        }
        return moreTopics == null ? null : moreTopics.get(topic);
    }

    private int topicCount() {
        return (oneTopic != null ? 1 : 0) + (moreTopics != null ? moreTopics.size() : 0);
    }

    /** {@code t}'s topic is not held yet. */
    private void addTopic(WsTopicSession t) {
        if (oneTopic == null) {
            oneTopic = t;
        } else {
            if (moreTopics == null) {
                moreTopics = new HashMap<>();
            }
            moreTopics.put(t.topic, t);
        }
    }

    /** Removes {@code t} if it is still the session of its topic. */
    private void removeTopic(WsTopicSession t) {
        if (oneTopic == t) {
            oneTopic = null;
        } else if (moreTopics != null && moreTopics.remove(t.topic, t) && moreTopics.isEmpty()) {
            moreTopics = null;
        }
    }

    /** A reply frame (event loop). */
    void send(ObjectNode reply) {
        if (!ended && ctx.channel().isActive()) {
            ctx.writeAndFlush(WsFrames.frame(reply));
        }
    }

    /** An error frame for a failed request; unexpected failures are logged with their stack once. */
    void fail(JsonNode id, Throwable error) {
        fail(id, error, null, null);
    }

    /** An error frame naming the consumer group it is about. */
    void fail(JsonNode id, Throwable error, String topic, String group) {
        SwitchboardException e = SwitchboardException.of(error);
        if (e.code() == ErrorCode.INTERNAL) {
            LOG.log(Level.SEVERE, "unexpected error answering a WebSocket request", error);
        }
        ObjectNode frame = WsFrames.error(id, e.code(), e.detail());
        if (group != null) {
            frame.put("topic", topic).put("group", group);
        }
        send(frame);
    }

    void acked(JsonNode id, String topic, long offset, long timeMillis) {
        metrics.onPublished(ServerMetrics.WS, 1);
        send(WsFrames.reply("ack", topic, id).put("offset", offset).put("time", Instant.ofEpochMilli(timeMillis).toString()));
    }

    /** "subscribed" goes out before the topic's first message, whichever of the two the event loop sees first. */
    private void confirm(WsTopicSession t, Subscription sub) {
        t.subscription = sub;
        if (!t.confirmed) {
            t.confirmed = true;
            send(WsFrames.reply("subscribed", t.topic, t.id).put("next", sub.start()).put("epoch", context.hub().epoch()));
        }
    }
}
