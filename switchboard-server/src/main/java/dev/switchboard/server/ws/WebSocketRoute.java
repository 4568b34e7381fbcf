package dev.switchboard.server.ws;

import dev.switchboard.core.error.ErrorCode;
import dev.switchboard.server.ServerContext;
import dev.switchboard.server.api.HttpResponses;
import dev.switchboard.server.pipeline.HttpRoute;
import dev.switchboard.server.pipeline.RouteMatch;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketFrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /v1/ws}: checks {@code Origin}, upgrades, and swaps the router for the WebSocket
 * handlers. Inbound, in order: read-idle timer ({@code ws-ping}) → {@link WsFrameDecoder} (RFC 6455
 * framing, 1002/1009) → UTF-8 check of text fragments (1007) → aggregation up to max-frame (1009) →
 * {@link WebSocketHandler}, which sends every close frame. Only version 13 (RFC 6455) is spoken.
 */
public final class WebSocketRoute implements HttpRoute {
    private final ServerContext context;

    public WebSocketRoute(ServerContext context) {
        this.context = context;
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest request, RouteMatch match) {
        boolean keepAlive = HttpResponses.isKeepAlive(request);
        String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        if (!allowed(origin, request.headers().get(HttpHeaderNames.HOST), context.config().allowedOrigins())) {
            HttpResponses.problem(ctx, keepAlive, ErrorCode.FORBIDDEN, "WebSocket from origin '" + origin
                    + "' refused: only the server's own origin and allowed-origins " + context.config().allowedOrigins() + " may connect");
            return;
        }
        if (!"13".equals(request.headers().get(HttpHeaderNames.SEC_WEBSOCKET_VERSION))) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel()); // 426, offering 13
            return;
        }
        int maxFrame = context.config().limits().maxFrameBytes();
        String url = "ws://" + request.headers().get(HttpHeaderNames.HOST, "localhost") + "/v1/ws";
        try {
            // Removes the body aggregator, adds the frame codec, drops the HTTP codec once the 101 is out.
            WsFrameDecoder.handshaker(url, maxFrame).handshake(ctx.channel(), request);
        } catch (WebSocketHandshakeException e) {
            HttpResponses.problem(ctx, false, ErrorCode.BAD_REQUEST, "WebSocket upgrade refused: " + e.getMessage());
            return;
        }
        // No frame can arrive before this returns: the event loop is ours until then.
        ChannelPipeline p = ctx.pipeline();
        long ping = context.config().wsPing().toMillis();
        // Before the decoder, so any byte from the client (a pong, a slow large frame) counts as alive.
        p.addBefore(p.context(WebSocketFrameDecoder.class).name(), "ws-idle", new IdleStateHandler(ping, 0, 0, TimeUnit.MILLISECONDS));
        p.replace("router", "ws-utf8", new Utf8FrameValidator(false)); // per fragment, so broken UTF-8 fails fast
        p.addLast("ws-aggregate", new WebSocketFrameAggregator(maxFrame));
        p.addLast("ws", new WebSocketHandler(context));
    }

    /** No Origin (not a browser), the same origin as Host, or one of allowed-origins ({@code *} allows all). */
    static boolean allowed(String origin, String host, List<String> allowedOrigins) {
        if (origin == null || allowedOrigins.contains("*")) {
            return true;
        }
        String o = origin.trim().toLowerCase(Locale.ROOT);
        if (host != null) {
            String h = host.trim().toLowerCase(Locale.ROOT);
            if (o.equals("http://" + h) || o.equals("https://" + h)) {
                return true;
            }
        }
        for (String a : allowedOrigins) {
            if (a.equalsIgnoreCase(o)) {
                return true;
            }
        }
        return false;
    }
}
