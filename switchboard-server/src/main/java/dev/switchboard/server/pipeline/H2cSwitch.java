package dev.switchboard.server.pipeline;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http2.CleartextHttp2ServerUpgradeHandler;

/**
 * Settles a cleartext connection's protocol. When it becomes HTTP/2 (prior knowledge or
 * {@code Upgrade: h2c}), removes the HTTP/1-only handlers, which would otherwise see HTTP/2 frames.
 * When its first request is not an upgrade, removes the upgrade handler: h2c is offered on the first
 * request only (as clients use it), and the HTTP/1.1 pipeline is then exactly the TLS one.
 */
final class H2cSwitch extends ChannelInboundHandlerAdapter {
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof CleartextHttp2ServerUpgradeHandler.PriorKnowledgeUpgradeEvent
                || evt instanceof HttpServerUpgradeHandler.UpgradeEvent) {
            ChannelPipeline p = ctx.pipeline();
            p.remove(ServerInitializer.AGGREGATE);
            p.remove(ServerInitializer.ROUTER);
            p.remove(this);
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof HttpRequest) {
            ChannelPipeline p = ctx.pipeline();
            HttpServerUpgradeHandler upgrade = p.get(HttpServerUpgradeHandler.class);
            if (upgrade != null) {
                p.remove(upgrade);
            }
            p.remove(this);
        }
        super.channelRead(ctx, msg);
    }
}
