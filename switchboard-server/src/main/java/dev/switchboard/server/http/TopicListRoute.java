package dev.switchboard.server.http;

import dev.switchboard.server.api.JsonReplies;

import dev.switchboard.core.hub.Hub;
import dev.switchboard.core.store.TopicHead;
import dev.switchboard.server.ServerContext;
import dev.switchboard.server.api.HttpResponses;
import dev.switchboard.server.auth.Action;
import dev.switchboard.server.auth.Principal;
import dev.switchboard.server.pipeline.HttpRoute;
import dev.switchboard.server.pipeline.RouteMatch;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Comparator;
import java.util.List;

/** {@code GET /v1/topics}: every topic the store knows, by name; reserved ({@code _…}) topics are the server's own and not listed. */
public final class TopicListRoute implements HttpRoute {
    private final Hub hub;

    public TopicListRoute(ServerContext context) {
        this.hub = context.hub();
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest request, RouteMatch match) {
        boolean keepAlive = HttpResponses.isKeepAlive(request);
        String epoch = hub.epoch();
        hub.topics().whenComplete((heads, error) -> {
            if (error != null) {
                JsonReplies.problem(ctx, keepAlive, error, epoch);
            } else {
                JsonReplies.send(ctx, keepAlive, HttpResponseStatus.OK, body(heads, match.principal()), epoch);
            }
        });
    }

    /** Only the topics the caller may subscribe to. */
    private static ByteBuf body(List<TopicHead> heads, Principal who) {
        List<TopicHead> listed = heads.stream()
                .filter(h -> !h.topic().startsWith("_") && who.allows(Action.SUBSCRIBE, h.topic()))
                .sorted(Comparator.comparing(TopicHead::topic))
                .toList();
        return JsonReplies.json(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("topics");
            for (TopicHead h : listed) {
                g.writeStartObject();
                g.writeStringField("topic", h.topic());
                g.writeNumberField("first", h.first());
                g.writeNumberField("last", h.last());
                g.writeNumberField("count", h.count());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }
}
