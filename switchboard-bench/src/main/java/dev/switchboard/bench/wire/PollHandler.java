package dev.switchboard.bench.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBufInputStream;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One polling subscriber on a kept-alive HTTP/1.1 connection. Short polling asks
 * {@code GET …/messages?after=N} every {@code interval} (measured from the previous answer, as a
 * client with a timer does); long polling asks again with {@code &wait=30s} as soon as an answer comes.
 * The first request has no {@code after}: it starts from the topic's current end; then each asks for up
 * to {@value #LIMIT} messages.
 */
final class PollHandler extends SimpleChannelInboundHandler<FullHttpResponse> {
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Messages per poll: the server's default {@code max-read}. With the default limit (100) a client
     * polling every second at 200 msg/s would fall further behind with every poll.
     */
    private static final int LIMIT = 1000;

    private final Subscriber subscriber;
    private final Deliveries deliveries;
    private final String host;
    private final String base;
    private final String authorization;
    private final Duration interval;
    private long after = -1;

    /** @param interval time between short polls; null for long polling */
    PollHandler(Subscriber subscriber, Deliveries deliveries, String host, String topic, String authorization, Duration interval) {
        this.subscriber = subscriber;
        this.deliveries = deliveries;
        this.host = host;
        this.base = "/v1/topics/" + topic + "/messages";
        this.authorization = authorization;
        this.interval = interval;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        subscriber.attach(ctx.channel());
        poll(ctx);
        ctx.fireChannelActive();
    }

    private void poll(ChannelHandlerContext ctx) {
        if (!ctx.channel().isActive()) {
            return;
        }
        String query = after < 0 ? "" : "?after=" + after + "&limit=" + LIMIT + (interval == null ? "&wait=30s" : "");
        DefaultFullHttpRequest get = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, base + query);
        get.headers().set(HttpHeaderNames.HOST, host);
        if (authorization != null) {
            get.headers().set(HttpHeaderNames.AUTHORIZATION, authorization);
        }
        deliveries.requested();
        ctx.writeAndFlush(get);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse r) throws IOException {
        if (r.status().code() != 200) {
            subscriber.failed(new IllegalStateException("GET " + base + " answered " + r.status() + ": " + r.content().toString(java.nio.charset.StandardCharsets.UTF_8)));
            ctx.close();
            return;
        }
        JsonNode body = JSON.readTree((java.io.InputStream) new ByteBufInputStream(r.content()));
        for (JsonNode m : body.path("messages")) {
            subscriber.cursor().received(m.path("offset").asLong(), Math.max(0, m.path("data").path("t").asLong()));
        }
        after = body.path("next").asLong();
        subscriber.confirmed();
        if (interval == null) {
            poll(ctx);
        } else {
            ctx.executor().schedule(() -> poll(ctx), interval.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        Closes.note(subscriber, deliveries, "the polling connection");
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        subscriber.failed(cause);
        ctx.close();
    }
}
