package dev.switchboard.server.ops;

import dev.switchboard.server.api.HttpResponses;
import dev.switchboard.server.pipeline.HttpRoute;
import dev.switchboard.server.pipeline.RouteMatch;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;

/** {@code /metrics} in the Prometheus text format. */
public final class MetricsRoute implements HttpRoute {
    private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private final ServerMetrics metrics;

    public MetricsRoute(ServerMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest request, RouteMatch match) {
        var body = Unpooled.copiedBuffer(metrics.scrape(), StandardCharsets.UTF_8);
        HttpResponses.send(ctx, HttpResponses.isKeepAlive(request), HttpResponses.response(HttpResponseStatus.OK, CONTENT_TYPE, body));
    }
}
