package dev.switchboard.server.ws;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameDecoder;
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
    WsFrameDecoder(WebSocketDecoderConfig config) {
        super(config);
    }

    /** RFC 6455 (version 13) only: masked client frames, no extensions, frames up to {@code maxFrame} bytes. */
    static WebSocketServerHandshaker handshaker(String url, int maxFrame) {
        WebSocketDecoderConfig config = WebSocketDecoderConfig.newBuilder()
                .expectMaskedFrames(true)
                .allowMaskMismatch(false)
                .allowExtensions(false)
                .maxFramePayloadLength(maxFrame)
                .closeOnProtocolViolation(false)
                .withUTF8Validator(true) // read only by Netty's protocol handler; WebSocketRoute adds the validator
                .build();
        return new WebSocketServerHandshaker13(url, null, config) {
            @Override
            protected WebSocketFrameDecoder newWebsocketDecoder() {
                return new WsFrameDecoder(decoderConfig());
            }
        };
    }

    @Override
    protected void checkCloseFrameBody(ChannelHandlerContext ctx, ByteBuf body) {
        CloseCodes.check(body);
    }
}
