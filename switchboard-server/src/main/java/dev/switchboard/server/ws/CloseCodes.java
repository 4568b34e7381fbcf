package dev.switchboard.server.ws;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

/**
 * RFC 6455 §7.4 close codes: the ones Switchboard sends, which ones a peer may send, and the check of
 * a received close frame's body. docs/api/websocket.md has the table for clients.
 */
final class CloseCodes {
    static final int NORMAL = 1000;
    static final int GOING_AWAY = 1001;
    static final int PROTOCOL_ERROR = 1002;
    static final int UNSUPPORTED_DATA = 1003;
    static final int INVALID_PAYLOAD = 1007;
    static final int POLICY_VIOLATION = 1008;
    static final int MESSAGE_TOO_BIG = 1009;
    static final int INTERNAL_ERROR = 1011;
    static final int TRY_AGAIN_LATER = 1013;

    /** A control frame carries at most 125 bytes, two of them the code. */
    private static final int MAX_REASON_BYTES = 123;

    private CloseCodes() {}

    /**
     * Codes a close frame may carry: 1000–1003 and 1007–1014 (registered with IANA) and 3000–4999
     * (libraries and applications). 1004 is reserved, 1005, 1006 and 1015 must never be on the wire,
     * 1016–2999 are unassigned, and nothing above 4999 exists.
     */
    static boolean allowedOnTheWire(int code) {
        return code >= 1000 && code <= 1003 || code >= 1007 && code <= 1014 || code >= 3000 && code <= 4999;
    }

    /**
     * Checks a received close frame's body: empty, or an allowed code and then a UTF-8 reason.
     *
     * @throws CorruptedWebSocketFrameException with 1002 for a 1-byte body or a code not allowed on the
     *     wire, with 1007 for a reason that is not UTF-8
     */
    static void check(ByteBuf body) {
        int n = body.readableBytes();
        if (n == 0) {
            return;
        }
        if (n == 1) {
            throw new CorruptedWebSocketFrameException(WebSocketCloseStatus.PROTOCOL_ERROR, "close frame with a 1-byte body");
        }
        int code = body.getUnsignedShort(body.readerIndex());
        if (!allowedOnTheWire(code)) {
            throw new CorruptedWebSocketFrameException(WebSocketCloseStatus.PROTOCOL_ERROR, "close code " + code + " is not allowed on the wire");
        }
        if (n > 2) {
            try {
                StandardCharsets.UTF_8.newDecoder().decode(body.nioBuffer(body.readerIndex() + 2, n - 2));
            } catch (CharacterCodingException e) {
                throw new CorruptedWebSocketFrameException(WebSocketCloseStatus.INVALID_PAYLOAD_DATA, "close reason is not UTF-8");
            }
        }
    }

    /** {@code reason}, cut at a character boundary to fit a close frame. */
    static String fit(String reason) {
        if (reason.length() * 3 <= MAX_REASON_BYTES) {
            return reason; // every char is at most 3 UTF-8 bytes
        }
        ByteBuffer out = ByteBuffer.allocate(MAX_REASON_BYTES);
        StandardCharsets.UTF_8.newEncoder().encode(CharBuffer.wrap(reason), out, true);
        return new String(out.array(), 0, out.position(), StandardCharsets.UTF_8);
    }
}
