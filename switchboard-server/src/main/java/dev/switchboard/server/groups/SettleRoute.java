package dev.switchboard.server.groups;

import dev.switchboard.core.error.SwitchboardException;
import dev.switchboard.core.groups.Groups;
import dev.switchboard.core.hub.Hub;
import dev.switchboard.core.store.GroupState;
import dev.switchboard.server.ServerContext;
import dev.switchboard.server.api.HttpResponses;
import dev.switchboard.server.api.JsonExchange;
import dev.switchboard.server.api.JsonReplies;
import dev.switchboard.server.pipeline.HttpRoute;
import dev.switchboard.server.pipeline.RouteMatch;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import java.util.concurrent.CompletableFuture;

/**
 * {@code POST .../groups/{group}/ack} and {@code .../nack} with {@code {"lease","offsets",
 * "delay"?,"reason"?}}: answers with the group's state after the change. Offsets not held under the
 * lease refuse the whole call with 409 lease-not-held, and nothing changes.
 */
public final class SettleRoute implements HttpRoute {
    private final Hub hub;
    private final boolean ack;

    private SettleRoute(ServerContext context, boolean ack) {
        this.hub = context.hub();
        this.ack = ack;
    }

    public static SettleRoute ack(ServerContext context) {
        return new SettleRoute(context, true);
    }

    public static SettleRoute nack(ServerContext context) {
        return new SettleRoute(context, false);
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest request, RouteMatch match) {
        boolean keepAlive = HttpResponses.isKeepAlive(request);
        CompletableFuture<GroupState> result;
        try {
            SettleBody body = SettleBody.parse(JsonExchange.body(request));
            Groups groups = hub.groups();
            result = ack
                    ? groups.ack(match.topic(), match.group(), body.lease(), body.offsets())
                    : groups.nack(match.topic(), match.group(), body.lease(), body.offsets(), body.delay(), body.reason());
        } catch (SwitchboardException e) {
            JsonReplies.problem(ctx, keepAlive, e, hub.epoch());
            return;
        }
        JsonExchange.answer(ctx, keepAlive, hub.epoch(), result, (g, s) -> GroupJson.writeState(g, s, System.currentTimeMillis()));
    }
}
