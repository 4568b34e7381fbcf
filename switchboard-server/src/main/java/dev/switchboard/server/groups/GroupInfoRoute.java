package dev.switchboard.server.groups;

import dev.switchboard.core.error.SwitchboardException;
import dev.switchboard.core.hub.Hub;
import dev.switchboard.core.store.GroupState;
import dev.switchboard.server.ServerContext;
import dev.switchboard.server.api.HttpResponses;
import dev.switchboard.server.api.JsonReplies;
import dev.switchboard.server.auth.Action;
import dev.switchboard.server.api.JsonExchange;
import dev.switchboard.server.pipeline.HttpRoute;
import dev.switchboard.server.pipeline.RouteMatch;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;

/**
 * {@code GET /v1/topics/{topic}/groups/{group}} (one group's state, 404 when it does not exist) and
 * {@code GET /v1/topics/{topic}/groups} ({@code {"groups":[...]}}, empty for a topic without groups).
 */
public final class GroupInfoRoute implements HttpRoute {
    private final Hub hub;

    public GroupInfoRoute(ServerContext context) {
        this.hub = context.hub();
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest request, RouteMatch match) {
        boolean keepAlive = HttpResponses.isKeepAlive(request);
        try {
            match.principal().require(Action.CONSUME, match.topic());
        } catch (SwitchboardException e) {
            JsonReplies.problem(ctx, keepAlive, e, hub.epoch());
            return;
        }
        long now = System.currentTimeMillis();
        if (match.group() != null) {
            JsonExchange.answer(ctx, keepAlive, hub.epoch(), hub.groups().state(match.topic(), match.group()),
                    (g, s) -> GroupJson.writeState(g, s, now));
            return;
        }
        JsonExchange.answer(ctx, keepAlive, hub.epoch(), hub.groups().list(match.topic()), (g, list) -> {
            g.writeStartObject();
            g.writeStringField("topic", match.topic());
            g.writeArrayFieldStart("groups");
            for (GroupState s : list) {
                GroupJson.writeState(g, s, now);
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }}
