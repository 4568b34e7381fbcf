package dev.switchboard.server.groups;

import dev.switchboard.core.error.SwitchboardException;
import dev.switchboard.core.groups.Groups;
import dev.switchboard.core.hub.Hub;
import dev.switchboard.core.store.GroupState;
import dev.switchboard.server.ServerContext;
import dev.switchboard.server.api.HttpResponses;
import dev.switchboard.server.auth.Action;
import dev.switchboard.server.api.JsonExchange;
import dev.switchboard.server.api.JsonReplies;
import dev.switchboard.server.pipeline.HttpRoute;
import dev.switchboard.server.pipeline.RouteMatch;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import java.util.concurrent.CompletableFuture;

/**
 * {@code POST .../groups/{group}/ack}, {@code .../nack} ({@code {"lease","offsets","delay"?,"reason"?}})
 * and {@code .../release} (hand back unhandled, not counted as an attempt): answers with the group's
 * state after the change. Offsets not held under the lease refuse the whole call with 409
 * lease-not-held, and nothing changes.
 */
public final class SettleRoute implements HttpRoute {
    /** What the call does with the offsets. */
    public enum Settle { ACK, NACK, RELEASE }

    private final Hub hub;
    private final Settle settle;

    public SettleRoute(ServerContext context, Settle settle) {
        this.hub = context.hub();
        this.settle = settle;
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest request, RouteMatch match) {
        boolean keepAlive = HttpResponses.isKeepAlive(request);
        CompletableFuture<GroupState> result;
        try {
            match.principal().require(Action.CONSUME, match.topic());
            SettleBody body = SettleBody.parse(JsonExchange.body(request));
            Groups groups = hub.groups();
            result = switch (settle) {
                case ACK -> groups.ack(match.topic(), match.group(), body.lease(), body.offsets());
                case NACK -> groups.nack(match.topic(), match.group(), body.lease(), body.offsets(), body.delay(), body.reason());
                case RELEASE -> groups.release(match.topic(), match.group(), body.lease(), body.offsets());
            };
        } catch (SwitchboardException e) {
            JsonReplies.problem(ctx, keepAlive, e, hub.epoch());
            return;
        }
        JsonExchange.answer(ctx, keepAlive, hub.epoch(), result, (g, s) -> GroupJson.writeState(g, s, System.currentTimeMillis()));
    }
}
