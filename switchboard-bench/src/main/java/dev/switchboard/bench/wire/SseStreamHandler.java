package dev.switchboard.bench.wire;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * One SSE stream, over an HTTP/1.1 connection or an HTTP/2 stream (both turned into
 * {@link HttpObject}s before this handler): sends the GET when the channel opens, confirms on a 200,
 * and feeds the body to the event parser.
 */
final class SseStreamHandler extends SimpleChannelInboundHandler<HttpObject> {
    private final Subscriber subscriber;
    private final Deliveries deliveries;
    private final String host;
    private final String path;
    private final String authorization;
    private final SseEventParser parser;

    SseStreamHandler(Subscriber subscriber, Deliveries deliveries, String host, String path, String authorization) {
        this.subscriber = subscriber;
        this.deliveries = deliveries;
        this.host = host;
        this.path = path;
        this.authorization = authorization;
        this.parser = new SseEventParser(subscriber.cursor());
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        subscriber.attach(ctx.channel());
        DefaultFullHttpRequest get = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path);
        get.headers().set(HttpHeaderNames.HOST, host).set(HttpHeaderNames.ACCEPT, "text/event-stream");
        if (authorization != null) {
            get.headers().set(HttpHeaderNames.AUTHORIZATION, authorization);
        }
        deliveries.requested();
        ctx.writeAndFlush(get);
        ctx.fireChannelActive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
        if (msg instanceof HttpResponse r) {
            if (r.status().code() != 200) {
                subscriber.failed(new IllegalStateException("GET " + path + " answered " + r.status()));
                ctx.close();
                return;
            }
            subscriber.confirmed();
        }
        if (msg instanceof HttpContent c) {
            parser.feed(c.content());
        }
        if (msg instanceof LastHttpContent) {
            ctx.close(); // the server ended the stream
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        Closes.note(subscriber, deliveries, "the SSE stream " + path + " ended");
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        subscriber.failed(cause);
        ctx.close();
    }
}
