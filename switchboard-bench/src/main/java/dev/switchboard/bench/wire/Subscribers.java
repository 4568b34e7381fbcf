package dev.switchboard.bench.wire;

import dev.switchboard.bench.Target;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import java.net.URI;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Opens subscribers of every kind on one {@link ClientLoop}, all counting into one {@link Deliveries}:
 * SSE and WebSocket streams, short and long polls, each on its own HTTP/1.1 connection.
 */
public final class Subscribers {
    private static final int MAX_RESPONSE = 64 << 20;

    private final ClientLoop loop;
    private final Target target;
    private final Deliveries deliveries;
    private final URI server;
    private final String host;

    public Subscribers(ClientLoop loop, Target target, Deliveries deliveries) {
        this.loop = loop;
        this.target = target;
        this.deliveries = deliveries;
        this.server = URI.create(target.url());
        this.host = server.getHost() + ":" + server.getPort();
    }

    public Deliveries deliveries() {
        return deliveries;
    }

    /** @param after resume after this offset; -1 for "from the current end" */
    public Subscriber sse(String topic, long after) {
        Subscriber s = new Subscriber(new Cursor(deliveries, Math.max(0, after)));
        String path = ssePath(topic, after);
        connect(s, ch -> ch.pipeline().addLast(new HttpClientCodec(), new SseStreamHandler(s, deliveries, host, path, target.authorization())));
        return s;
    }

    public Subscriber ws(String topic, long after) {
        Subscriber s = new Subscriber(new Cursor(deliveries, Math.max(0, after)));
        DefaultHttpHeaders headers = new DefaultHttpHeaders();
        if (target.authorization() != null) {
            headers.set(HttpHeaderNames.AUTHORIZATION, target.authorization());
        }
        WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(URI.create(target.url().replaceFirst("^http", "ws") + "/v1/ws"))
                .customHeaders(headers).maxFramePayloadLength(MAX_RESPONSE)
                .withUTF8Validator(false) // a per-byte check the server already made; at 10⁶ frames/s it would be the generator's limit
                .build();
        connect(s, ch -> ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(64 << 10),
                new WebSocketClientProtocolHandler(config), new WsSubscriberHandler(s, deliveries, topic, after)));
        return s;
    }

    /** @param interval time between short polls; null for long polling */
    public Subscriber poll(String topic, Duration interval) {
        Subscriber s = new Subscriber(new Cursor(deliveries, 0));
        connect(s, ch -> ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(MAX_RESPONSE),
                new PollHandler(s, deliveries, host, topic, target.authorization(), interval)));
        return s;
    }

    /** One HTTP/2 cleartext connection (prior knowledge) to open SSE streams on. */
    public H2cConnection h2c() throws InterruptedException {
        return H2cConnection.open(loop, server, host, target.authorization(), deliveries);
    }

    static String ssePath(String topic, long after) {
        return "/v1/topics/" + topic + "/events" + (after >= 0 ? "?after=" + after : "");
    }

    private void connect(Subscriber s, Consumer<Channel> pipeline) {
        loop.connect(server, pipeline).addListener(f -> {
            if (!f.isSuccess()) {
                s.failed(f.cause());
            }
        });
    }
}
