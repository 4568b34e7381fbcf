package dev.switchboard.server.jobs;

import dev.switchboard.core.hub.Hub;
import dev.switchboard.server.ServerContext;
import dev.switchboard.server.api.HttpResponses;
import dev.switchboard.server.auth.Action;
import dev.switchboard.server.auth.JobAccess;
import dev.switchboard.server.api.JsonExchange;
import dev.switchboard.server.pipeline.HttpRoute;
import dev.switchboard.server.pipeline.RouteMatch;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;

/**
 * {@code POST /v1/jobs/{id}/cancel}: a queued job is cancelled at once; a running one answers with
 * {@code "cancel_requested":true} and ends when its worker next calls heartbeat or progress (or its
 * lease runs out). A finished job is answered unchanged.
 */
public final class CancelRoute implements HttpRoute {
    private final Hub hub;

    public CancelRoute(ServerContext context) {
        this.hub = context.hub();
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest request, RouteMatch match) {
        JsonExchange.answer(ctx, HttpResponses.isKeepAlive(request), hub.epoch(),
                JobAccess.checked(hub.jobs(), match.principal(), Action.JOBS, match.job(), () -> hub.jobs().cancel(match.job())),
                (g, j) -> JobJson.write(g, j, false));
    }
}
