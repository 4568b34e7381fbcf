package dev.switchboard.server.groups;

import dev.switchboard.core.error.SwitchboardException;
import dev.switchboard.core.groups.Fetched;
import dev.switchboard.core.hub.Hub;
import dev.switchboard.server.ServerContext;
import dev.switchboard.server.api.HangUps;
import dev.switchboard.server.api.HttpResponses;
import dev.switchboard.server.auth.Action;
import dev.switchboard.server.api.JsonExchange;
import dev.switchboard.server.api.JsonReplies;
import dev.switchboard.server.api.QueryParams;
import dev.switchboard.server.ops.ServerMetrics;
import dev.switchboard.server.pipeline.HttpRoute;
import dev.switchboard.server.pipeline.RouteMatch;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * {@code POST /v1/topics/{topic}/groups/{group}/fetch?max=N&wait=30s&lease=30s}: leases up to
 * {@code max} messages to the caller, waiting up to {@code wait} for the first one (a long poll, held
 * by the hub). A client that hangs up before the answer has its messages given back at once.
 */
public final class FetchRoute implements HttpRoute {
    static final int DEFAULT_MAX = 100;

    private final Hub hub;
    private final ServerMetrics metrics;

    public FetchRoute(ServerContext context) {
        this.hub = context.hub();
        this.metrics = context.metrics();
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest request, RouteMatch match) {
        boolean keepAlive = HttpResponses.isKeepAlive(request);
        CompletableFuture<Fetched> fetched;
        try {
            match.principal().require(Action.CONSUME, match.topic());
            int max = QueryParams.count("max", match.param("max"), DEFAULT_MAX);
            Duration wait = QueryParams.duration("wait", match.param("wait"));
            Duration lease = QueryParams.duration("lease", match.param("lease"));
            fetched = hub.groups().fetch(match.topic(), match.group(), max, lease, wait == null ? Duration.ZERO : wait);
        } catch (SwitchboardException e) {
            JsonReplies.problem(ctx, keepAlive, e, hub.epoch());
            return;
        }
        HangUps.cancelOnHangUp(ctx, fetched);
        fetched.thenAccept(f -> metrics.onDelivered(ServerMetrics.GROUP_FETCH, f.deliveries().size()));
        JsonExchange.answer(ctx, keepAlive, hub.epoch(), fetched, GroupJson::writeFetched);
    }
}
