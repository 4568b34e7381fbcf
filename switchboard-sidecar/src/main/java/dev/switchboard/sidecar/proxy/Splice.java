package dev.switchboard.sidecar.proxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One direction of a tunnel: every byte read here is written to the peer as it is. Reading stops while
 * the peer cannot take more (its writability turns our auto-read), and a close here closes the peer once
 * what was written to it is flushed.
 */
final class Splice extends ChannelInboundHandlerAdapter {
    private final Channel peer;
    private final AtomicLong counted; // bytes carried this way, for the access log

    Splice(Channel peer, AtomicLong counted) {
        this.peer = peer;
        this.counted = counted;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof io.netty.buffer.ByteBuf b) {
            counted.addAndGet(b.readableBytes());
        }
        peer.writeAndFlush(msg);
        if (!peer.isWritable()) {
            ctx.channel().config().setAutoRead(false); // the peer's writability change turns it back on
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        peer.config().setAutoRead(ctx.channel().isWritable());
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close(); // a reset on one side: channelInactive closes the other
    }
}
