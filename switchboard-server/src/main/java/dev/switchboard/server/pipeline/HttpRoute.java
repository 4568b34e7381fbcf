package dev.switchboard.server.pipeline;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;

/**
 * One endpoint. Runs on the connection's event loop: it must not block, so it hands store work to the
 * hub and writes the answer when the hub's future completes. The request is released by the router
 * after {@code handle} returns; a route that needs it later must copy what it needs.
 */
@FunctionalInterface
public interface HttpRoute {
    void handle(ChannelHandlerContext ctx, FullHttpRequest request, RouteMatch match);
}
