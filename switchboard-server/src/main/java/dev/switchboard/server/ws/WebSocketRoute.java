package dev.switchboard.server.ws;

import dev.switchboard.core.error.ErrorCode;
import dev.switchboard.server.ServerContext;
import dev.switchboard.server.api.HttpResponses;
import dev.switchboard.server.pipeline.HttpRoute;
import dev.switchboard.server.pipeline.RouteMatch;
import dev.switchboard.server.stream.LoopSweep;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import java.util.List;
import java.util.Locale;

/**
 * {@code GET /v1/ws}: checks {@code Origin}, upgrades, and swaps the router for the WebSocket
 * handlers. Inbound, in order: {@link WsFrameDecoder} (RFC 6455 framing, 1002/1009; notes when bytes
 * were last read) → {@link WebSocketHandler}, which checks text fragments are UTF-8 (1007,
 * {@link WsUtf8}), joins fragments up to max-frame (1009), sends every close frame, and is pinged by
 * a {@link LoopSweep} every quarter of ws-ping (one task per event loop, not a timer per socket), so a
 * ping goes out between 1 and 1.25 × ws-ping after the last byte read. Two handlers per socket, so
 * an idle socket costs little memory. Only version 13 (RFC 6455) is spoken.
 */
public final class WebSocketRoute implements HttpRoute {
    private final ServerContext context;
    private final LoopSweep liveness;
    private final WebSocketDecoderConfig decoderConfig;

    public WebSocketRoute(ServerContext context) {
        this.context = context;
        this.liveness = new LoopSweep(context.config().wsPing().toNanos() / 4);
        this.decoderConfig = WsFrameDecoder.config(context.config().limits().maxFrameBytes()); // one for every socket
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
        String url = "ws://" + request.headers().get(HttpHeaderNames.HOST, "localhost") + "/v1/ws";
        try {
            // Removes the body aggregator, adds the frame codec, drops the HTTP codec once the 101 is out.
            WsFrameDecoder.handshaker(url, decoderConfig).handshake(ctx.channel(), request);
        } catch (WebSocketHandshakeException e) {
            HttpResponses.problem(ctx, false, ErrorCode.BAD_REQUEST, "WebSocket upgrade refused: " + e.getMessage());
            return;
        }
        // No frame can arrive before this returns: the event loop is ours until then.
        ChannelPipeline p = ctx.pipeline();
        WsFrameDecoder decoder = (WsFrameDecoder) p.get(WebSocketFrameDecoder.class);
        p.replace("router", "ws", new WebSocketHandler(context, liveness, decoder, match.principal()));
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
