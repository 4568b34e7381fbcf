package dev.switchboard.sidecar.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/** The last handler of an upstream connection: passes everything to the exchange holding it, or to the pool when idle. */
final class UpstreamHandler extends ChannelInboundHandlerAdapter {
    private final UpstreamPool pool;
    private final UpstreamConnection connection;

    UpstreamHandler(UpstreamPool pool, UpstreamConnection connection) {
        this.pool = pool;
        this.connection = connection;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        UpstreamListener l = connection.listener();
        if (l == null) {
            ReferenceCountUtil.release(msg); // an idle connection has nothing to say: the pool closes it
            ctx.close();
            return;
        }
        l.upstreamRead(msg);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        UpstreamListener l = connection.listener();
        if (l != null) {
            l.upstreamWritabilityChanged(ctx.channel().isWritable());
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        UpstreamListener l = connection.listener();
        if (l != null) {
            l.upstreamClosed(null);
        }
        pool.closed(connection);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        UpstreamListener l = connection.listener();
        if (l != null) {
            l.upstreamClosed(cause);
        }
        ctx.close();
    }
}
