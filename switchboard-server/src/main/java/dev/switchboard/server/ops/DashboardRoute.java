package dev.switchboard.server.ops;

import dev.switchboard.server.api.HttpResponses;
import dev.switchboard.server.pipeline.HttpRoute;
import dev.switchboard.server.pipeline.RouteMatch;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The page at {@code /}: watch a topic live by SSE or WebSocket, and publish to it, from a browser. */
public final class DashboardRoute implements HttpRoute {
    private final byte[] page;

    public DashboardRoute() {
        try (InputStream in = DashboardRoute.class.getResourceAsStream("/dashboard/index.html")) {
            if (in == null) {
                throw new IllegalStateException("dashboard/index.html missing from the server jar");
            }
            page = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest request, RouteMatch match) {
        var response = HttpResponses.response(HttpResponseStatus.OK, "text/html; charset=utf-8", Unpooled.wrappedBuffer(page));
        response.headers().set("cache-control", "no-cache");
        HttpResponses.send(ctx, HttpResponses.isKeepAlive(request), response);
    }
}
