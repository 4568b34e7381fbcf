package dev.switchboard.server.sse;

import dev.switchboard.core.error.CloseReason;
import dev.switchboard.core.hub.Session;
import dev.switchboard.core.hub.Subscription;
import dev.switchboard.core.message.Message;
import dev.switchboard.server.ServerContext;
import dev.switchboard.server.api.HttpResponses;
import dev.switchboard.server.ops.ServerMetrics;
import dev.switchboard.server.stream.LoopSweep;
import dev.switchboard.server.stream.OutboundBudget;
import dev.switchboard.server.stream.StreamClose;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One SSE stream: the hub's {@link Session} for one topic, and the last handler of its connection.
 *
 * <p>Threads: {@link #deliver} and {@link #skipped} run on hub threads; they encode (once per message,
 * shared), reserve the bytes in the {@link OutboundBudget}, and hand one task per batch to the event
 * loop, which writes it as one chunk with one flush. Everything else runs on the event loop. The
 * response headers are sent by whichever comes first: the subscribe answer or the first delivery.
 * The route's heartbeat {@link LoopSweep} visits the stream on its event loop and sends a comment when
 * nothing was written for sse-heartbeat.
 */
final class SseSession extends ChannelInboundHandlerAdapter implements Session, LoopSweep.Member {
    private static final Logger LOG = Logger.getLogger(SseSession.class.getName());

    private final ServerContext context;
    private final String topic;
    private final OutboundBudget budget;
    private final ServerMetrics metrics;
    private final LoopSweep heartbeats;
    private ChannelHandlerContext ctx;
    private volatile boolean closing;
    private volatile Subscription subscription;
    private boolean started; // event loop only
    private boolean ended; // event loop only
    private long lastWrite; // System.nanoTime() of the last write (event loop only)
    private int sweepSlot = NOT_SWEPT; // event loop only

    SseSession(ServerContext context, String topic, LoopSweep heartbeats) {
        this.context = context;
        this.topic = topic;
        this.budget = new OutboundBudget(context.config().limits().sessionBudgetBytes());
        this.metrics = context.metrics();
        this.heartbeats = heartbeats;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        lastWrite = System.nanoTime();
        heartbeats.add(ctx.executor(), this);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        heartbeats.remove(ctx.executor(), this);
    }

    /** The hub accepted the subscription (event loop). */
    void subscribed(Subscription sub) {
        subscription = sub;
        if (!ctx.channel().isActive()) {
            context.hub().unsubscribe(sub);
            return;
        }
        startStream();
        ctx.flush();
    }

    /** The hub refused the subscription (event loop): nothing was streamed yet, so answer with a problem. */
    void refused(Throwable error) {
        closing = true;
        HttpResponses.problem(ctx, false, error);
    }

    @Override
    public String transport() {
        return ServerMetrics.SSE;
    }

    @Override
    public void deliver(Subscription sub, List<Message> messages) {
        if (closing) {
            return;
        }
        int n = messages.size();
        byte[][] events = new byte[n][];
        long bytes = 0;
        for (int i = 0; i < n; i++) {
            events[i] = messages.get(i).encoded(SseFrames.EVENT).bytes();
            bytes += events[i].length;
        }
        if (!budget.tryReserve(bytes)) {
            closing = true;
            metrics.onSlowConsumer(ServerMetrics.SSE);
            LOG.warning(budget.slowConsumerLine("sse", "'" + topic + "'", ctx.channel().remoteAddress(), bytes,
                    messages.getFirst().offset() - 1));
            StreamClose.run(ctx, () -> end(CloseReason.SLOW_CONSUMER));
            return;
        }
        long reserved = bytes;
        ByteBuf batch = Unpooled.wrappedBuffer(events);
        if (!StreamClose.run(ctx, () -> write(batch, reserved, n))) {
            batch.release();
            budget.release(reserved);
        }
    }

    @Override
    public void skipped(Subscription sub, long after, long first) {
        StreamClose.run(ctx, () -> {
            if (!ended) {
                startStream();
                lastWrite = System.nanoTime();
                ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(SseFrames.gap(after, first))));
            }
        });
    }

    @Override
    public java.util.concurrent.CompletionStage<Void> writable() {
        return budget.writable();
    }

    @Override
    public boolean isOpen() {
        return !closing && ctx.channel().isActive();
    }

    @Override
    public void close(CloseReason reason) {
        closing = true;
        StreamClose.run(ctx, () -> end(reason));
    }

    private void write(ByteBuf batch, long bytes, int messages) {
        if (ended || !ctx.channel().isActive()) {
            batch.release();
            budget.release(bytes);
            return;
        }
        startStream();
        lastWrite = System.nanoTime();
        ctx.writeAndFlush(new DefaultHttpContent(batch)).addListener(f -> budget.release(bytes));
        metrics.onDelivered(ServerMetrics.SSE, messages);
    }

    private void startStream() {
        if (started) {
            return;
        }
        started = true;
        lastWrite = System.nanoTime();
        HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream")
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE)
                .set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED)
                .set("switchboard-epoch", context.hub().epoch());
        ctx.write(r);
        ctx.write(new DefaultHttpContent(Unpooled.wrappedBuffer(SseFrames.retry(context.config().sseRetry().toMillis()))));
        metrics.onSessionOpened(ServerMetrics.SSE);
    }

    /** Tells the client why, then closes (event loop). */
    private void end(CloseReason reason) {
        if (ended) {
            return;
        }
        ended = true;
        startStream();
        ctx.write(new DefaultHttpContent(Unpooled.wrappedBuffer(SseFrames.close(reason))));
        StreamClose.closeAfter(ctx, ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT));
    }

    /**
     * Heartbeat sweep (event loop): a comment when nothing was written for sse-heartbeat, so proxies and
     * clients keep a quiet stream open. Skipped while the socket is full: the client is not idle then.
     */
    @Override
    public void sweep(long now) {
        if (started && !ended && now - lastWrite >= context.config().sseHeartbeat().toNanos() && ctx.channel().isWritable()) {
            lastWrite = now;
            ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(SseFrames.HEARTBEAT)));
        }
    }

    @Override
    public void sweepFailed(RuntimeException e) {
        LOG.log(Level.WARNING, "sse heartbeat failed on '" + topic + "'", e);
        ctx.close();
    }

    @Override
    public int sweepSlot() {
        return sweepSlot;
    }

    @Override
    public void sweepSlot(int slot) {
        sweepSlot = slot;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg); // an SSE client has nothing more to say on this connection
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        heartbeats.remove(ctx.executor(), this);
        closing = true;
        ended = true;
        budget.close();
        Subscription sub = subscription;
        if (sub != null) {
            context.hub().unsubscribe(sub);
        }
        if (started) {
            metrics.onSessionClosed(ServerMetrics.SSE);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close(); // a reset by the client, most often; the stream cannot go on either way
    }
}
