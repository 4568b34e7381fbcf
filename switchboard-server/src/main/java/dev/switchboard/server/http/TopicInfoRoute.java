package dev.switchboard.server.http;

import dev.switchboard.server.api.JsonReplies;

import dev.switchboard.core.hub.Hub;
import dev.switchboard.core.hub.TopicInfo;
import dev.switchboard.server.ServerContext;
import dev.switchboard.server.api.HttpResponses;
import dev.switchboard.server.auth.Action;
import dev.switchboard.server.ops.ServerMetrics;
import dev.switchboard.server.pipeline.HttpRoute;
import dev.switchboard.server.pipeline.RouteMatch;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * {@code GET /v1/topics/{topic}}: the retained range and live subscribers by transport (every
 * transport listed, zeros included, so clients need no "missing means 0" rule). 404 for a topic that
 * was never published to and has no subscribers.
 */
public final class TopicInfoRoute implements HttpRoute {
    private static final String[] TRANSPORTS = {ServerMetrics.SSE, ServerMetrics.WS, ServerMetrics.LONG_POLL};

    private final Hub hub;

    public TopicInfoRoute(ServerContext context) {
        this.hub = context.hub();
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest request, RouteMatch match) {
        boolean keepAlive = HttpResponses.isKeepAlive(request);
        String epoch = hub.epoch();
        CompletableFuture<TopicInfo> info;
        try {
            match.principal().require(Action.SUBSCRIBE, match.topic());
            info = hub.info(match.topic());
        } catch (RuntimeException e) { // an invalid name is refused before any future exists
            info = CompletableFuture.failedFuture(e);
        }
        info.whenComplete((i, error) -> {
            if (error != null) {
                JsonReplies.problem(ctx, keepAlive, error, epoch);
            } else {
                JsonReplies.send(ctx, keepAlive, HttpResponseStatus.OK, body(i), epoch);
            }
        });
    }

    private static ByteBuf body(TopicInfo i) {
        Map<String, Integer> subscribers = new TreeMap<>(i.subscribers());
        for (String t : TRANSPORTS) {
            subscribers.putIfAbsent(t, 0);
        }
        return JsonReplies.json(g -> {
            g.writeStartObject();
            g.writeStringField("topic", i.topic());
            g.writeNumberField("first", i.first());
            g.writeNumberField("last", i.last());
            g.writeNumberField("count", i.count());
            g.writeObjectFieldStart("subscribers");
            for (Map.Entry<String, Integer> s : subscribers.entrySet()) {
                g.writeNumberField(s.getKey(), s.getValue());
            }
            g.writeEndObject();
            g.writeStringField("epoch", i.epoch());
            g.writeEndObject();
        });
    }
}
