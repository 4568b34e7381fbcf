package dev.switchboard.sidecar.grip;

import dev.switchboard.server.sse.SseFrames;
import dev.switchboard.core.error.CloseReason;
import dev.switchboard.core.hub.Hub;
import dev.switchboard.core.hub.Session;
import dev.switchboard.core.hub.Subscription;
import dev.switchboard.core.message.Message;
import dev.switchboard.server.stream.OutboundBudget;
import dev.switchboard.server.stream.StreamClose;
import dev.switchboard.sidecar.ops.SidecarMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * {@code Grip-Hold: stream}: the upstream's head and body go to the client at once, then every message
 * of the topic as an SSE event, until the client leaves, the hub closes the session (slow consumer,
 * shutdown) or the sidecar stops. The hub's {@link Session}: deliveries arrive on hub threads, reserve
 * their bytes in the {@link OutboundBudget} and are written on the client's event loop.
 */
final class GripStream implements Session, Hold {
    private static final Logger LOG = Logger.getLogger(GripStream.class.getName());

    private final Hub hub;
    private final SidecarMetrics metrics;
    private final ChannelHandlerContext ctx;
    private final String topic;
    private final OutboundBudget budget;
    private final HoldEnd end;
    private volatile boolean closing;
    private volatile Subscription subscription;
    private ScheduledFuture<?> heartbeat; // event loop only
    private boolean ended; // event loop only
    private long bytes; // event loop only
    private int status = 200;

    private GripStream(Hub hub, SidecarMetrics metrics, ChannelHandlerContext ctx, String topic, long budgetBytes, HoldEnd end) {
        this.hub = hub;
        this.metrics = metrics;
        this.ctx = ctx;
        this.topic = topic;
        this.budget = new OutboundBudget(budgetBytes);
        this.end = end;
    }

    static GripStream start(Hub hub, SidecarMetrics metrics, ChannelHandlerContext ctx, GripInstruction in, HttpResponse head,
                            ByteBuf body, boolean http2, long budgetBytes, Duration heartbeatEvery, HoldEnd end) {
        GripStream s = new GripStream(hub, metrics, ctx, in.topic(), budgetBytes, end);
        s.status = head.status().code();
        head.setProtocolVersion(HttpVersion.HTTP_1_1);
        head.headers().remove(HttpHeaderNames.CONTENT_LENGTH)
                .set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        if (!head.headers().contains(HttpHeaderNames.CONTENT_TYPE)) {
            head.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream");
        }
        // The stream ends only when the connection does: nothing follows it on this connection.
        head.headers().remove(HttpHeaderNames.CONNECTION);
        if (!http2) {
            head.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        ctx.write(head);
        s.bytes = body.readableBytes();
        if (body.isReadable()) {
            ctx.write(new DefaultHttpContent(body));
        } else {
            body.release();
        }
        ctx.flush();
        ctx.channel().config().setAutoRead(true); // to notice the client leaving; what it sends is dropped
        metrics.onHoldOpened(SidecarMetrics.HOLD_STREAM);
        long every = heartbeatEvery.toMillis();
        s.heartbeat = ctx.executor().scheduleAtFixedRate(() -> {
            if (!s.ended && ctx.channel().isWritable()) {
                ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(SseFrames.HEARTBEAT)));
            }
        }, every, every, TimeUnit.MILLISECONDS);
        hub.subscribe(s, in.topic(), in.after(), null).whenComplete((sub, error) -> StreamClose.run(ctx, () -> {
            if (error != null) {
                LOG.warning("cannot hold a stream on '" + in.topic() + "' for " + ctx.channel().remoteAddress() + ": " + error);
                s.close(CloseReason.SERVER_SHUTDOWN);
                return;
            }
            s.subscription = sub;
            if (s.ended) {
                hub.unsubscribe(sub);
            }
        }));
        return s;
    }

    @Override
    public String transport() {
        return "grip-stream";
    }

    @Override
    public void deliver(Subscription sub, List<Message> messages) {
        if (closing) {
            return;
        }
        byte[][] events = new byte[messages.size()][];
        long size = 0;
        for (int i = 0; i < events.length; i++) {
            events[i] = SseFrames.event(messages.get(i));
            size += events[i].length;
        }
        if (!budget.tryReserve(size)) {
            closing = true;
            LOG.warning(budget.slowConsumerLine("grip-stream", "'" + topic + "'", ctx.channel().remoteAddress(), size,
                    messages.getFirst().offset() - 1));
            StreamClose.run(ctx, () -> finish(CloseReason.SLOW_CONSUMER));
            return;
        }
        long reserved = size;
        ByteBuf batch = Unpooled.wrappedBuffer(events);
        if (!StreamClose.run(ctx, () -> write(batch, reserved))) {
            batch.release();
            budget.release(reserved);
        }
    }

    private void write(ByteBuf batch, long reserved) {
        if (ended || !ctx.channel().isActive()) {
            batch.release();
            budget.release(reserved);
            return;
        }
        bytes += reserved;
        ctx.writeAndFlush(new DefaultHttpContent(batch)).addListener(f -> budget.release(reserved));
    }

    @Override
    public void skipped(Subscription sub, long after, long first) {
        StreamClose.run(ctx, () -> {
            if (!ended) {
                ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(SseFrames.gap(after, first))));
            }
        });
    }

    @Override
    public CompletionStage<Void> writable() {
        return budget.writable();
    }

    @Override
    public boolean isOpen() {
        return !closing && ctx.channel().isActive();
    }

    @Override
    public void close(CloseReason reason) {
        closing = true;
        StreamClose.run(ctx, () -> finish(reason));
    }

    /** Tells the client why, then closes (event loop). */
    private void finish(CloseReason reason) {
        if (ended) {
            return;
        }
        ctx.write(new DefaultHttpContent(Unpooled.wrappedBuffer(SseFrames.close(reason))));
        StreamClose.closeAfter(ctx, ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT));
        over();
    }

    @Override
    public void clientClosed() {
        over();
    }

    private void over() {
        if (ended) {
            return;
        }
        ended = true;
        closing = true;
        heartbeat.cancel(false);
        budget.close();
        Subscription sub = subscription;
        if (sub != null) {
            hub.unsubscribe(sub);
        }
        metrics.onHoldClosed(SidecarMetrics.HOLD_STREAM);
        end.ended(status, bytes, false);
    }

    @Override
    public boolean discardsInput() {
        return true;
    }
}
