package dev.switchboard.server.pipeline;

import dev.switchboard.core.config.Limits;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerAdapter;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http2.CleartextHttp2ServerUpgradeHandler;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ServerUpgradeCodec;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.util.AsciiString;

/**
 * The pipeline of every connection, written in one place. Every connection starts with the
 * connection cap, then:
 *
 * <ul>
 *   <li>with TLS: TLS → ALPN, which picks HTTP/2 ({@code h2}) or HTTP/1.1;
 *   <li>without: the h2c detector. A connection that opens with the HTTP/2 preface (prior knowledge)
 *       becomes HTTP/2; else it is HTTP/1.1, and its first request may still ask {@code Upgrade: h2c}.
 * </ul>
 *
 * <p>HTTP/1.1: codec (header limit → 431) → body aggregation (body limit → 413) → router; streaming
 * endpoints (SSE, WebSocket) take over the connection from the router. HTTP/2: frame codec (header
 * list limit → 431 and stream reset, max-streams) → multiplexer → GOAWAY handling. The multiplexer gives
 * each stream a child channel of its own: pseudo-header check → frames ↔ HTTP/1 objects → body
 * aggregation → the same router, so every route runs unchanged on a stream (closing a stream's channel
 * resets that stream, not the connection). The HTTP/1-only handlers are removed when a connection switches.
 */
public final class ServerInitializer extends ChannelInitializer<SocketChannel> {
    private static final int MAX_CHUNK = 64 * 1024;
    static final String AGGREGATE = "aggregate";
    static final String ROUTER = "router";
    static final String H2C_UPGRADE = "h2c-upgrade";

    private final Limits limits;
    private final ConnectionLimiter connectionLimiter;
    private final Router router;
    private final SslContext tls;
    private final ChannelInitializer<Http2StreamChannel> stream = new ChannelInitializer<>() {
        @Override
        protected void initChannel(Http2StreamChannel ch) {
            ChannelPipeline p = ch.pipeline();
            p.addLast("h2-check", new Http2RequestCheck());
            p.addLast("h2-http", new Http2StreamFrameToHttpObjectCodec(true));
            p.addLast(AGGREGATE, new BodyLimitAggregator(limits.maxBodyBytes()));
            p.addLast(ROUTER, router);
        }
    };

    /** @param tls the TLS context (with ALPN for h2 and http/1.1), or null for cleartext HTTP/1.1 and h2c */
    public ServerInitializer(Limits limits, ConnectionLimiter connectionLimiter, Router router, SslContext tls) {
        this.limits = limits;
        this.connectionLimiter = connectionLimiter;
        this.router = router;
        this.tls = tls;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ChannelPipeline p = ch.pipeline();
        p.addLast("limit", connectionLimiter);
        if (tls != null) {
            p.addLast("tls", tls.newHandler(ch.alloc()));
            p.addLast("alpn", new AlpnNegotiation(this));
            return;
        }
        HttpServerCodec http = http1Codec();
        HttpServerUpgradeHandler upgrade = new HttpServerUpgradeHandler(http,
                protocol -> AsciiString.contentEquals(Http2CodecUtil.HTTP_UPGRADE_PROTOCOL_NAME, protocol)
                        ? new Http2ServerUpgradeCodec(frameCodec(), multiplexer(), Http2GoAwayHandler.INSTANCE) : null,
                limits.maxBodyBytes());
        // Adds the HTTP/1.1 codec and the upgrade handler after itself; leaves once it has seen the first bytes.
        p.addLast("h2c", new CleartextHttp2ServerUpgradeHandler(http, upgrade, http2Installer()));
        p.addLast("h2c-switch", new H2cSwitch());
        p.addLast(AGGREGATE, new BodyLimitAggregator(limits.maxBodyBytes()));
        p.addLast(ROUTER, router);
    }

    /** After ALPN chose HTTP/1.1. */
    void addHttp1(ChannelPipeline p) {
        p.addLast("http", http1Codec());
        p.addLast(AGGREGATE, new BodyLimitAggregator(limits.maxBodyBytes()));
        p.addLast(ROUTER, router);
    }

    /** After ALPN chose h2. */
    void addHttp2(ChannelPipeline p) {
        p.addLast("h2", frameCodec());
        p.addLast("h2-mux", multiplexer());
        p.addLast("h2-goaway", Http2GoAwayHandler.INSTANCE);
    }

    private HttpServerCodec http1Codec() {
        return new HttpServerCodec(limits.maxHeaderBytes(), limits.maxHeaderBytes(), MAX_CHUNK);
    }

    private Http2FrameCodec frameCodec() {
        return Http2FrameCodecBuilder.forServer()
                .initialSettings(Http2Settings.defaultSettings()
                        .maxConcurrentStreams(limits.maxConcurrentStreams())
                        .maxHeaderListSize(limits.maxHeaderBytes()))
                .build();
    }

    private Http2MultiplexHandler multiplexer() {
        return new Http2MultiplexHandler(stream);
    }

    /** For prior knowledge: puts the frame codec and the multiplexer where it was added, then leaves. */
    private ChannelHandler http2Installer() {
        return new ChannelHandlerAdapter() {
            @Override
            public void handlerAdded(ChannelHandlerContext ctx) {
                ctx.pipeline().addAfter(ctx.name(), "h2", frameCodec()).addAfter("h2", "h2-mux", multiplexer())
                        .addAfter("h2-mux", "h2-goaway", Http2GoAwayHandler.INSTANCE);
                ctx.pipeline().remove(this);
            }
        };
    }
}
