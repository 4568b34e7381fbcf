package dev.switchboard.server.pipeline;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The last handler of an HTTP/2 connection. A client's GOAWAY means it opens no more streams: the
 * connection is closed once its open streams end (Netty sends our GOAWAY and waits for them, up to
 * its graceful-shutdown timeout). An I/O error (most often a reset by the client) closes it quietly;
 * a protocol error is left to the codec, which answers it with the right GOAWAY.
 */
@ChannelHandler.Sharable
final class Http2GoAwayHandler extends ChannelInboundHandlerAdapter {
    static final Http2GoAwayHandler INSTANCE = new Http2GoAwayHandler();
    private static final Logger LOG = Logger.getLogger(Http2GoAwayHandler.class.getName());

    private Http2GoAwayHandler() {}

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Http2GoAwayFrame) {
            ctx.close();
        }
        ReferenceCountUtil.release(msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (Http2CodecUtil.getEmbeddedHttp2Exception(cause) != null) {
            // A protocol error: the codec answers it (GOAWAY with its error code) right after this.
            LOG.log(Level.FINE, "HTTP/2 protocol error from " + ctx.channel().remoteAddress(), cause);
            return;
        }
        LOG.log(cause instanceof IOException ? Level.FINE : Level.WARNING,
                "HTTP/2 connection from " + ctx.channel().remoteAddress() + " failed", cause);
        ctx.close();
    }
}
