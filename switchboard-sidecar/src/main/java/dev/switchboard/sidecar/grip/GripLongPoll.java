package dev.switchboard.sidecar.grip;

import dev.switchboard.core.hub.Hub;
import dev.switchboard.core.hub.ReadResult;
import dev.switchboard.core.message.Message;
import dev.switchboard.server.api.LingeringClose;
import dev.switchboard.server.stream.StreamClose;
import dev.switchboard.sidecar.ops.SidecarMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.util.concurrent.CompletableFuture;

/**
 * {@code Grip-Hold: response}: the client's request waits for the next message of the topic, which
 * becomes the answer (status 200, the upstream's headers, the message's content type and bytes, its
 * offset in {@code Switchboard-Offset}); when {@code Grip-Timeout} passes first, the answer is the
 * upstream's own response. The waiting is the hub's long poll.
 */
final class GripLongPoll implements Hold {
    static final String OFFSET = "Switchboard-Offset";

    private final CompletableFuture<ReadResult> poll;

    private GripLongPoll(CompletableFuture<ReadResult> poll) {
        this.poll = poll;
    }

    static GripLongPoll start(Hub hub, SidecarMetrics metrics, ChannelHandlerContext ctx, GripInstruction in, HttpResponse head,
                              ByteBuf body, boolean keepAlive, boolean http2, HoldEnd end) {
        metrics.onHoldOpened(SidecarMetrics.HOLD_RESPONSE);
        CompletableFuture<ReadResult> poll = hub.poll(in.topic(), in.after(), 1, in.timeout(), null);
        poll.whenComplete((result, error) -> {
            boolean ran = StreamClose.run(ctx, () -> {
                metrics.onHoldClosed(SidecarMetrics.HOLD_RESPONSE);
                FullHttpResponse r;
                if (error == null && !result.messages().isEmpty()) {
                    body.release();
                    r = message(head, result.messages().getFirst());
                } else {
                    r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, head.status(), body, head.headers(),
                            io.netty.handler.codec.http.EmptyHttpHeaders.INSTANCE);
                    r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
                }
                int bytes = r.content().readableBytes();
                int status = r.status().code();
                if (!ctx.channel().isActive()) {
                    r.release();
                    end.ended(status, 0, false);
                    return;
                }
                HttpUtil.setKeepAlive(r, keepAlive || http2);
                var written = ctx.writeAndFlush(r);
                end.ended(status, bytes, keepAlive);
                if (!keepAlive && !http2) {
                    LingeringClose.after(written);
                }
            });
            if (!ran) {
                body.release();
            }
        });
        return new GripLongPoll(poll);
    }

    private static FullHttpResponse message(HttpResponse head, Message m) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.wrappedBuffer(m.payload()),
                head.headers(), io.netty.handler.codec.http.EmptyHttpHeaders.INSTANCE);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, m.contentType())
                .setInt(HttpHeaderNames.CONTENT_LENGTH, m.payload().length)
                .set(OFFSET, m.offset());
        return r;
    }

    @Override
    public void clientClosed() {
        poll.cancel(false); // the hub removes the waiter; the completion above sees the closed channel
    }

    @Override
    public boolean discardsInput() {
        return false;
    }
}
