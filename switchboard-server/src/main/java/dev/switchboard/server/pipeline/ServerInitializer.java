package dev.switchboard.server.pipeline;

import dev.switchboard.core.config.Limits;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;

/**
 * The pipeline of every connection, in order: connection cap → HTTP/1.1 codec (header limit → 431)
 * → body aggregation (body limit → 413) → router. Streaming endpoints (SSE, WebSocket) take over the
 * connection from the router.
 */
public final class ServerInitializer extends ChannelInitializer<SocketChannel> {
    private static final int MAX_CHUNK = 64 * 1024;

    private final Limits limits;
    private final ConnectionLimiter connectionLimiter;
    private final Router router;

    public ServerInitializer(Limits limits, ConnectionLimiter connectionLimiter, Router router) {
        this.limits = limits;
        this.connectionLimiter = connectionLimiter;
        this.router = router;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ChannelPipeline p = ch.pipeline();
        p.addLast("limit", connectionLimiter);
        p.addLast("http", new HttpServerCodec(limits.maxHeaderBytes(), limits.maxHeaderBytes(), MAX_CHUNK));
        p.addLast("aggregate", new BodyLimitAggregator(limits.maxBodyBytes()));
        p.addLast("router", router);
    }
}
