package dev.switchboard.bench.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import java.nio.charset.StandardCharsets;

/**
 * One WebSocket subscriber: once the handshake is done it sends {@code subscribe}; a
 * {@code subscribed} reply confirms it, each {@code message} frame is a delivery, an {@code error}
 * frame fails it with the server's text.
 */
final class WsSubscriberHandler extends SimpleChannelInboundHandler<TextWebSocketFrame> {
    private static final byte[] MESSAGE = "{\"type\":\"message\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SUBSCRIBED = "{\"type\":\"subscribed\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ERROR = "{\"type\":\"error\"".getBytes(StandardCharsets.US_ASCII);

    private final Subscriber subscriber;
    private final Deliveries deliveries;
    private final String subscribe;
    private byte[] frame = new byte[512];

    WsSubscriberHandler(Subscriber subscriber, Deliveries deliveries, String topic, long after) {
        this.subscriber = subscriber;
        this.deliveries = deliveries;
        this.subscribe = "{\"op\":\"subscribe\",\"topic\":\"" + topic + "\"" + (after >= 0 ? ",\"after\":" + after : "") + "}";
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        subscriber.attach(ctx.channel());
        super.channelActive(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
            deliveries.requested();
            ctx.writeAndFlush(new TextWebSocketFrame(subscribe));
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame msg) {
        ByteBuf c = msg.content();
        int n = c.readableBytes();
        if (n > frame.length) {
            frame = new byte[Math.max(n, frame.length * 2)];
        }
        c.getBytes(c.readerIndex(), frame, 0, n);
        if (JsonScan.startsWith(frame, 0, n, MESSAGE)) {
            subscriber.cursor().received(JsonScan.longAfter(frame, 0, n, JsonScan.OFFSET), Math.max(0, JsonScan.longAfter(frame, 0, n, JsonScan.SENT)));
        } else if (JsonScan.startsWith(frame, 0, n, SUBSCRIBED)) {
            subscriber.confirmed();
        } else if (JsonScan.startsWith(frame, 0, n, ERROR)) {
            subscriber.failed(new IllegalStateException("the server sent " + new String(frame, 0, n, StandardCharsets.UTF_8)));
            ctx.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        Closes.note(subscriber, deliveries, "the WebSocket");
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        subscriber.failed(cause);
        ctx.close();
    }
}
