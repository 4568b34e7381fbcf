package dev.switchboard.bench.wire;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import java.net.URI;

/**
 * One HTTP/2 cleartext connection opened with prior knowledge, carrying many SSE streams: each
 * stream's frames become {@code HttpObject}s, so the same {@link SseStreamHandler} reads them as on
 * HTTP/1.1. A 1 MiB stream window lets one stream run at full speed.
 */
public final class H2cConnection {
    private static final int WINDOW = 1 << 20;

    private final Channel parent;
    private final String host;
    private final String authorization;
    private final Deliveries deliveries;

    private H2cConnection(Channel parent, String host, String authorization, Deliveries deliveries) {
        this.parent = parent;
        this.host = host;
        this.authorization = authorization;
        this.deliveries = deliveries;
    }

    static H2cConnection open(ClientLoop loop, URI server, String host, String authorization, Deliveries deliveries) throws InterruptedException {
        Channel ch = loop.connect(server, c -> c.pipeline().addLast(
                Http2FrameCodecBuilder.forClient().initialSettings(Http2Settings.defaultSettings().initialWindowSize(WINDOW)).build(),
                new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()))).sync().channel();
        return new H2cConnection(ch, host, authorization, deliveries);
    }

    public Subscriber sse(String topic, long after) {
        Subscriber s = new Subscriber(new Cursor(deliveries, Math.max(0, after)));
        String path = Subscribers.ssePath(topic, after);
        new Http2StreamChannelBootstrap(parent).handler(new ChannelInitializer<Http2StreamChannel>() {
            @Override
            protected void initChannel(Http2StreamChannel ch) {
                ch.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(false), new SseStreamHandler(s, deliveries, host, path, authorization));
            }
        }).open().addListener(f -> {
            if (!f.isSuccess()) {
                s.failed(f.cause());
            }
        });
        return s;
    }

    public void close() {
        parent.close();
    }
}
