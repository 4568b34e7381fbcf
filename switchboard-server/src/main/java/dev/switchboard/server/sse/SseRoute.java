package dev.switchboard.server.sse;

import dev.switchboard.core.error.CloseReason;
import dev.switchboard.core.error.ErrorCode;
import dev.switchboard.core.error.SwitchboardException;
import dev.switchboard.core.message.Topics;
import dev.switchboard.server.ServerContext;
import dev.switchboard.server.api.HttpResponses;
import dev.switchboard.server.auth.Action;
import dev.switchboard.server.auth.TokenExpiry;
import dev.switchboard.server.pipeline.HttpRoute;
import dev.switchboard.server.pipeline.RouteMatch;
import dev.switchboard.server.stream.LoopSweep;
import dev.switchboard.server.stream.StreamClose;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpServerCodec;
import java.util.Locale;

/**
 * {@code GET /v1/topics/{topic}/events}: checks the request, then hands the connection to an
 * {@link SseSession} subscribed from {@code Last-Event-ID} (the browser resends it on reconnect), else
 * {@code ?after}, else the current end. Refusals before the stream starts are problem+json. Heartbeats
 * come from one {@link LoopSweep} per server, every quarter of sse-heartbeat (a comment between 1 and
 * 1.25 × sse-heartbeat after the last write), not an idle handler and a timer per stream.
 */
public final class SseRoute implements HttpRoute {
    private final ServerContext context;
    private final LoopSweep heartbeats;

    public SseRoute(ServerContext context) {
        this.context = context;
        this.heartbeats = new LoopSweep(context.config().sseHeartbeat().toNanos() / 4);
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest request, RouteMatch match) {
        boolean keepAlive = HttpResponses.isKeepAlive(request);
        String accept = request.headers().get(HttpHeaderNames.ACCEPT);
        if (!acceptsEventStream(accept)) {
            HttpResponses.problem(ctx, keepAlive, ErrorCode.NOT_ACCEPTABLE,
                    "this endpoint streams text/event-stream, but the request accepts only '" + accept + "'");
            return;
        }
        String topic = match.topic();
        Long after = null;
        try {
            Topics.requireReadable(topic);
            match.principal().require(Action.SUBSCRIBE, topic);
            String lastEventId = request.headers().get("last-event-id");
            if (lastEventId != null && !lastEventId.isBlank()) {
                after = offset("Last-Event-ID", lastEventId);
            } else if (match.param("after") != null) {
                after = offset("after", match.param("after"));
            }
        } catch (SwitchboardException e) {
            HttpResponses.problem(ctx, keepAlive, e.code(), e.detail());
            return;
        }
        SseSession session = new SseSession(context, topic, heartbeats);
        ChannelPipeline p = ctx.pipeline();
        // The connection is a stream from now on: no more requests to route, no bodies to aggregate, and
        // on HTTP/1.1 nothing to decode (the request decoder's buffers would stay for the stream's life).
        p.remove("aggregate");
        if (p.get(HttpServerCodec.class) != null) {
            p.replace(HttpServerCodec.class, "http-encoder", new HttpResponseEncoder());
        }
        p.replace("router", "sse", session);
        ChannelHandlerContext sessionCtx = p.context(session);
        TokenExpiry.schedule(sessionCtx, match.principal(), () -> session.close(CloseReason.TOKEN_EXPIRED));
        context.hub().subscribe(session, topic, after, match.param("epoch"))
                .whenComplete((sub, error) -> StreamClose.run(sessionCtx, () -> {
                    if (error != null) {
                        session.refused(error);
                    } else {
                        session.subscribed(sub);
                    }
                }));
    }

    /** Absent, {@code *}/{@code *}, {@code text/*} or {@code text/event-stream} (parameters ignored). */
    static boolean acceptsEventStream(String accept) {
        if (accept == null || accept.isBlank()) {
            return true;
        }
        for (String range : accept.split(",")) {
            int semi = range.indexOf(';');
            String type = (semi < 0 ? range : range.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
            if (type.equals("*/*") || type.equals("text/*") || type.equals("text/event-stream")) {
                return true;
            }
        }
        return false;
    }

    private static long offset(String name, String value) {
        try {
            long v = Long.parseLong(value.trim());
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new SwitchboardException(ErrorCode.BAD_REQUEST,
                name + "='" + value + "' is invalid: it must be an offset (a whole number, 0 or more)");
    }
}
