package dev.switchboard.server.pipeline;

import io.netty.buffer.Unpooled;
import dev.switchboard.server.api.LingeringClose;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps open (TCP) connections, whatever their protocol; an HTTP/2 connection counts once however many
 * streams it carries. On cleartext, one over the cap is answered with a ready-made HTTP/1.1 503 problem
 * and closed before any parsing, so a flood costs little; with TLS it is closed before the handshake
 * (an answer would need the handshake the cap is there to save).
 */
@ChannelHandler.Sharable
public final class ConnectionLimiter extends ChannelInboundHandlerAdapter {
    private final int max;
    private final boolean tls;
    private final AtomicInteger open = new AtomicInteger();
    private final byte[] refusal;
    private final ChannelGroup channels = new DefaultChannelGroup("connections", GlobalEventExecutor.INSTANCE);

    public ConnectionLimiter(int max, boolean tls) {
        this.max = max;
        this.tls = tls;
        String body = "{\"type\":\"urn:switchboard:problem:too-many-connections\",\"title\":\"Too many connections\","
                + "\"status\":503,\"detail\":\"the server holds its maximum of " + max + " connections (max-connections)\","
                + "\"code\":\"too-many-connections\",\"retryable\":true}";
        this.refusal = ("HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/problem+json\r\nretry-after: 1\r\n"
                + "connection: close\r\ncontent-length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII);
    }

    public int open() {
        return open.get();
    }

    /** Every open connection, so shutdown can close the idle ones. */
    public ChannelGroup channels() {
        return channels;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        if (open.incrementAndGet() > max) {
            if (tls) {
                ctx.close();
                return;
            }
            LingeringClose.after(ctx.writeAndFlush(Unpooled.wrappedBuffer(refusal)));
            return;
        }
        channels.add(ctx.channel());
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        open.decrementAndGet();
        super.channelInactive(ctx);
    }
}
