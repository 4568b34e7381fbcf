package dev.switchboard.server.auth;

import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Streams outlive requests: an SSE stream or a WebSocket authenticated once must end when its token
 * does, or a revoked client keeps reading. One timer on the connection's event loop, cancelled when
 * the connection closes first; nothing at all for {@link Principal#UNRESTRICTED}.
 */
public final class TokenExpiry {
    private TokenExpiry() {}

    /** Runs {@code end} on the event loop of {@code ctx} when the token of {@code who} stops being valid. */
    public static void schedule(ChannelHandlerContext ctx, Principal who, Runnable end) {
        if (who.validUntil() == null) {
            return;
        }
        long millis = Math.max(0, who.validUntil().toEpochMilli() - System.currentTimeMillis());
        ScheduledFuture<?> timer = ctx.executor().schedule(end, millis, TimeUnit.MILLISECONDS);
        ctx.channel().closeFuture().addListener(f -> timer.cancel(false));
    }
}
