package dev.switchboard.server.ops;

import dev.switchboard.core.error.ErrorCode;
import dev.switchboard.server.api.HttpResponses;
import dev.switchboard.server.pipeline.HttpRoute;
import dev.switchboard.server.pipeline.RouteMatch;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.function.BooleanSupplier;

/** {@code /healthz} (the process answers) and {@code /readyz} (it takes traffic: false while shutting down). */
public final class HealthRoute implements HttpRoute {
    private final BooleanSupplier ready;

    private HealthRoute(BooleanSupplier ready) {
        this.ready = ready;
    }

    public static HealthRoute live() {
        return new HealthRoute(() -> true);
    }

    public static HealthRoute ready(BooleanSupplier ready) {
        return new HealthRoute(ready);
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest request, RouteMatch match) {
        boolean keepAlive = HttpResponses.isKeepAlive(request);
        if (ready.getAsBoolean()) {
            HttpResponses.send(ctx, keepAlive, HttpResponses.text(HttpResponseStatus.OK, "ok\n"));
        } else {
            HttpResponses.problem(ctx, keepAlive, ErrorCode.SHUTTING_DOWN, "not ready: the server is shutting down");
        }
    }
}
