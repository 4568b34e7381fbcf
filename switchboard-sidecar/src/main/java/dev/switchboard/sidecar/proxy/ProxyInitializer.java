package dev.switchboard.sidecar.proxy;

import dev.switchboard.server.pipeline.ConnectionLimiter;
import dev.switchboard.sidecar.cache.CacheHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2ServerUpgradeCodec;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslContext;

/**
 * The pipeline of every public connection, in one place: connection cap → (TLS → ALPN) → HTTP/1.1:
 * strict request decoder → response encoder → cache → proxy; or HTTP/2 (h2 by ALPN): frame codec → multiplexer,
 * each stream: frames ↔ HTTP objects → cache → proxy. Cleartext connections speak HTTP/1.1, or h2c by prior
 * knowledge ({@link H2cPriorKnowledge}) or by {@code Upgrade: h2c} ({@link H2cUpgrade}).
 */
public final class ProxyInitializer extends ChannelInitializer<SocketChannel> {
    private final ProxyContext proxy;
    private final ConnectionLimiter limiter;
    private final SslContext tls;

    /** @param tls with ALPN offering h2 and http/1.1 (the server's {@code ServerTls}), or null for cleartext HTTP/1.1 */
    public ProxyInitializer(ProxyContext proxy, ConnectionLimiter limiter, SslContext tls) {
        this.proxy = proxy;
        this.limiter = limiter;
        this.tls = tls;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ChannelPipeline p = ch.pipeline();
        p.addLast("limit", limiter);
        if (tls == null) {
            // Cleartext: HTTP/1.1, or h2c by prior knowledge (the preface) or by Upgrade: h2c on a first request.
            p.addLast("h2c-preface", new H2cPriorKnowledge(ctx -> {
                removeHttp1(ctx.pipeline());
                ctx.pipeline().remove("h2c-upgrade");
                ctx.pipeline().addLast("h2", http2Codec()).addLast("h2-mux", http2Multiplexer());
            }));
            addHttp1(p);
            p.addAfter("encoder", "h2c-upgrade", new H2cUpgrade(this::removeHttp1, () -> new Http2ServerUpgradeCodec(http2Codec(), http2Multiplexer())));
            return;
        }
        p.addLast("tls", tls.newHandler(ch.alloc()));
        p.addLast("alpn", new ApplicationProtocolNegotiationHandler(ApplicationProtocolNames.HTTP_1_1) {
            @Override
            protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
                if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
                    ctx.pipeline().addLast("h2", http2Codec()).addLast("h2-mux", http2Multiplexer());
                } else {
                    addHttp1(ctx.pipeline());
                }
            }

            @Override
            protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
                ctx.close(); // an untrusting client or plain HTTP on the TLS port: its problem
            }
        });
    }

    private void addHttp1(ChannelPipeline p) {
        p.addLast("decoder", new StrictRequestDecoder(proxy.config().maxHeaderBytes()));
        p.addLast("encoder", new HttpResponseEncoder());
        if (proxy.cache() != null) {
            p.addLast("cache", new CacheHandler(proxy.cache(), proxy.accessLog(), tls != null, false));
        }
        p.addLast("proxy", new ProxyHandler(proxy, tls != null));
    }

    private void removeHttp1(ChannelPipeline p) {
        for (String name : new String[] {"proxy", "cache", "encoder", "decoder"}) {
            if (p.get(name) != null) {
                p.remove(name);
            }
        }
    }

    private Http2FrameCodec http2Codec() {
        return Http2FrameCodecBuilder.forServer()
                .initialSettings(Http2Settings.defaultSettings().maxConcurrentStreams(256).maxHeaderListSize(proxy.config().maxHeaderBytes()))
                .build();
    }

    private Http2MultiplexHandler http2Multiplexer() {
        boolean secure = tls != null;
        return new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
            @Override
            protected void initChannel(Http2StreamChannel ch) {
                ch.pipeline().addLast("h2-http", new Http2StreamFrameToHttpObjectCodec(true));
                if (proxy.cache() != null) {
                    ch.pipeline().addLast("cache", new CacheHandler(proxy.cache(), proxy.accessLog(), secure, true));
                }
                ch.pipeline().addLast("proxy", new ProxyHandler(proxy, secure));
            }
        });
    }
}
