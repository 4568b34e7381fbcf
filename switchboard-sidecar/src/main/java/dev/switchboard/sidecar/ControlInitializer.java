package dev.switchboard.sidecar;

import dev.switchboard.core.error.ErrorCode;
import dev.switchboard.server.api.HttpResponses;
import dev.switchboard.server.pipeline.Router;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;

/**
 * The loopback control port: the server's own router and routes (publish, read, topic info, health,
 * metrics) over the sidecar's hub, behind a filter that answers 404 for the server endpoints the sidecar
 * does not serve (groups, jobs, SSE, WebSocket, the dashboard).
 */
final class ControlInitializer extends ChannelInitializer<SocketChannel> {
    private final Router router;
    private final int maxBody;
    private final ControlFilter filter = new ControlFilter();

    ControlInitializer(Router router, int maxBody) {
        this.router = router;
        this.maxBody = maxBody;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ch.pipeline().addLast("http", new HttpServerCodec())
                .addLast("keep-alive", new HttpServerKeepAliveHandler())
                .addLast("aggregate", new HttpObjectAggregator(maxBody))
                .addLast("filter", filter)
                .addLast("router", router);
    }

    @ChannelHandler.Sharable
    private static final class ControlFilter extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            FullHttpRequest request = (FullHttpRequest) msg;
            String path = request.uri().split("\\?", 2)[0];
            boolean served = path.equals("/healthz") || path.equals("/readyz") || path.equals("/metrics")
                    || path.startsWith("/v1/topics") && !path.contains("/groups") && !path.endsWith("/events");
            if (!served) {
                boolean keepAlive = HttpResponses.isKeepAlive(request);
                request.release();
                HttpResponses.problem(ctx, keepAlive, ErrorCode.NOT_FOUND, "no endpoint at " + path + " on the sidecar's control port"
                        + " (it serves POST|GET /v1/topics/{topic}/messages, /v1/topics, /healthz, /readyz, /metrics)");
                return;
            }
            ctx.fireChannelRead(msg);
        }
    }
}
