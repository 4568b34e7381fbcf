package dev.switchboard.server.stream;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/** What SSE and WebSocket sessions share about leaving the hub's threads and ending a stream. */
public final class StreamClose {
    /**
     * How long the farewell (SSE close event, WebSocket close frame) may wait behind a backlog the
     * client does not read; after that the connection is closed without it.
     */
    static final long GRACE_MILLIS = 5_000;

    private StreamClose() {}

    /** Runs {@code task} on the channel's event loop (inline when already there); false once the loop has stopped. */
    public static boolean run(ChannelHandlerContext ctx, Runnable task) {
        if (ctx.executor().inEventLoop()) {
            task.run();
            return true;
        }
        try {
            ctx.executor().execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /** Closes the connection once {@code farewell} is written, or after the grace period if the client never reads it. */
    public static void closeAfter(ChannelHandlerContext ctx, ChannelFuture farewell) {
        farewell.addListener(f -> ctx.channel().close());
        ctx.executor().schedule(() -> ctx.channel().close(), GRACE_MILLIS, TimeUnit.MILLISECONDS);
    }
}
