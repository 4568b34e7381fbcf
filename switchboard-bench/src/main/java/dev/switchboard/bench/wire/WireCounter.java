package dev.switchboard.bench.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import java.util.concurrent.atomic.LongAdder;

/**
 * First in every client pipeline: counts the TCP payload bytes each socket reads and writes — HTTP
 * status lines and headers, chunk framing, SSE field names, WebSocket frame headers, HTTP/2 frames —
 * as they cross the socket (TCP/IP headers excluded), over the whole run. Also counts the connections opened.
 */
@Sharable
public final class WireCounter extends ChannelDuplexHandler {
    private final LongAdder read = new LongAdder();
    private final LongAdder written = new LongAdder();
    private final LongAdder connections = new LongAdder();

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        connections.increment();
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf b) {
            read.add(b.readableBytes());
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf b) {
            written.add(b.readableBytes());
        }
        ctx.write(msg, promise);
    }

    public long bytesRead() {
        return read.sum();
    }

    public long bytesWritten() {
        return written.sum();
    }

    public long connections() {
        return connections.sum();
    }
}
