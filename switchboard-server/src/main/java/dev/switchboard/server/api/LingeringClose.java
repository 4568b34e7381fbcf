package dev.switchboard.server.api;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection after its last answer without losing that answer. Closing a socket that still
 * has unread request bytes makes the kernel send a reset, and the client then never sees the 413,
 * 431 or 503 it was sent. So: shut down our side, read and discard what the client still sends, and
 * close when it closes or after a second. On an HTTP/2 stream's channel (not a {@link DuplexChannel})
 * it simply closes that channel, which resets the one stream and never touches the shared socket.
 */
public final class LingeringClose {
    private static final long LINGER_MILLIS = 1000;

    private LingeringClose() {}

    public static void after(ChannelFuture lastWrite) {
        lastWrite.addListener(f -> close(lastWrite.channel()));
    }

    private static void close(Channel ch) {
        if (!(ch instanceof DuplexChannel duplex) || !ch.isActive()) {
            ch.close();
            return;
        }
        ch.pipeline().addFirst("discard", new Discard());
        ch.config().setAutoRead(true);
        duplex.shutdownOutput();
        ch.eventLoop().schedule(() -> ch.close(), LINGER_MILLIS, TimeUnit.MILLISECONDS);
    }

    private static final class Discard extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
