package dev.switchboard.server.groups;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.error.ErrorCode;
import dev.switchboard.core.error.SwitchboardException;
import dev.switchboard.core.groups.ResetTarget;
import dev.switchboard.core.hub.Hub;
import dev.switchboard.server.ServerContext;
import dev.switchboard.server.api.HttpResponses;
import dev.switchboard.server.auth.Action;
import dev.switchboard.server.api.JsonExchange;
import dev.switchboard.server.api.JsonReplies;
import dev.switchboard.server.pipeline.HttpRoute;
import dev.switchboard.server.pipeline.RouteMatch;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * {@code POST .../groups/{group}/reset} with exactly one of {@code {"offset":N}} (deliver what comes
 * after N), {@code {"time":"2026-11-27T10:00:00Z"}} (from the first message at or after that time) or
 * {@code {"to":"earliest"|"latest"}}. Drops every lease; creates the group when it does not exist.
 */
public final class ResetRoute implements HttpRoute {
    private final Hub hub;

    public ResetRoute(ServerContext context) {
        this.hub = context.hub();
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest request, RouteMatch match) {
        boolean keepAlive = HttpResponses.isKeepAlive(request);
        ResetTarget target;
        try {
            match.principal().require(Action.CONSUME, match.topic());
            target = target(JsonExchange.body(request));
        } catch (SwitchboardException e) {
            JsonReplies.problem(ctx, keepAlive, e, hub.epoch());
            return;
        }
        long now = System.currentTimeMillis();
        JsonExchange.answer(ctx, keepAlive, hub.epoch(), hub.groups().reset(match.topic(), match.group(), target),
                (g, s) -> GroupJson.writeState(g, s, now));
    }

    static ResetTarget target(JsonNode body) {
        if (!body.isObject() || body.size() != 1) {
            throw bad("the body must hold exactly one of {\"offset\":N}, {\"time\":\"2026-11-27T10:00:00Z\"} or {\"to\":\"earliest\"|\"latest\"}");
        }
        JsonNode offset = body.get("offset");
        if (offset != null) {
            if (!offset.canConvertToExactIntegral() || !offset.canConvertToLong() || offset.asLong() < 0) {
                throw bad("\"offset\" must be a whole number >= 0 (0 redelivers every retained message), not " + offset);
            }
            return new ResetTarget.AfterOffset(offset.asLong());
        }
        JsonNode time = body.get("time");
        if (time != null) {
            try {
                return new ResetTarget.AtTime(Instant.parse(time.asText()).toEpochMilli());
            } catch (DateTimeParseException e) {
                throw bad("\"time\" must be an ISO-8601 instant such as 2026-11-27T10:00:00Z, not " + time);
            }
        }
        JsonNode to = body.get("to");
        if (to != null && to.asText().equals("earliest")) {
            return new ResetTarget.Earliest();
        }
        if (to != null && to.asText().equals("latest")) {
            return new ResetTarget.Latest();
        }
        throw bad("unknown reset " + body + ": use {\"offset\":N}, {\"time\":\"…\"} or {\"to\":\"earliest\"|\"latest\"}");
    }

    private static SwitchboardException bad(String detail) {
        return new SwitchboardException(ErrorCode.BAD_REQUEST, detail);
    }
}
