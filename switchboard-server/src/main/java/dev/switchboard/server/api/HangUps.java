package dev.switchboard.server.api;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import java.util.concurrent.CompletableFuture;

/** Long polls end when their client hangs up: the hub's waiter goes with it. */
public final class HangUps {
    private HangUps() {}

    public static void cancelOnHangUp(ChannelHandlerContext ctx, CompletableFuture<?> result) {
        ChannelFuture closed = ctx.channel().closeFuture();
        ChannelFutureListener cancel = f -> result.cancel(false);
        closed.addListener(cancel);
        // A kept-alive connection runs many polls: drop the listener once this one is answered.
        result.whenComplete((r, e) -> closed.removeListener(cancel));
    }
}
