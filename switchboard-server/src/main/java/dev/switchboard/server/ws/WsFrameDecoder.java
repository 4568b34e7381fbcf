package dev.switchboard.server.ws;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker13;

/**
 * Netty's RFC 6455 frame decoder with the close-frame check done right.
 *
 * <p>Netty 4.2.18 checks a received close frame after it has marked the closing handshake as
 * received, so a bad close code or a reason that is not UTF-8 ends the connection with no close frame
 * at all (the peer sees 1006, not 1002 or 1007); it also reads the code as a signed short and takes
 * every code from 3000 up, so 5000 or 65535 passes as valid. {@link CloseCodes#check} replaces that
 * check and throws the right status.
 *
 * <p>{@code closeOnProtocolViolation} is off: the decoder only raises a
 * {@link io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException} carrying the code
 * (1002, or 1009 for a frame above max-frame) and {@link WebSocketHandler} sends the one close frame,
 * so nothing else is written after it.
 */
final class WsFrameDecoder extends WebSocket13FrameDecoder {
    /** Netty's encoder keeps no state per connection (ours never masks): one for every socket. */
    private static final WebSocketFrameEncoder ENCODER = new SharedEncoder();

    /** {@link System#nanoTime} of the last bytes read, a pong or a slow large frame alike (event loop). */
    long lastRead = System.nanoTime();

    WsFrameDecoder(WebSocketDecoderConfig config) {
        super(config);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        lastRead = System.nanoTime(); // before decoding: any byte from the client counts as alive
        super.channelRead(ctx, msg);
    }

    /** RFC 6455 (version 13) only: masked client frames, no extensions, frames up to {@code maxFrame} bytes. */
    static WebSocketDecoderConfig config(int maxFrame) {
        return WebSocketDecoderConfig.newBuilder()
                .expectMaskedFrames(true)
                .allowMaskMismatch(false)
                .allowExtensions(false)
                .maxFramePayloadLength(maxFrame)
                .closeOnProtocolViolation(false)
                .withUTF8Validator(false) // WebSocketHandler checks UTF-8 itself
                .build();
    }

    static WebSocketServerHandshaker handshaker(String url, WebSocketDecoderConfig config) {
        return new WebSocketServerHandshaker13(url, null, config) {
            @Override
            protected WebSocketFrameDecoder newWebsocketDecoder() {
                return new WsFrameDecoder(decoderConfig());
            }

            @Override
            protected WebSocketFrameEncoder newWebSocketEncoder() {
                return ENCODER;
            }
        };
    }

    @ChannelHandler.Sharable
    private static final class SharedEncoder extends WebSocket13FrameEncoder {
        SharedEncoder() {
            super(false);
        }
    }

    @Override
    protected void checkCloseFrameBody(ChannelHandlerContext ctx, ByteBuf body) {
        CloseCodes.check(body);
    }
}
