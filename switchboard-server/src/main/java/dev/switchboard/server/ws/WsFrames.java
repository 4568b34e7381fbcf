package dev.switchboard.server.ws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.error.ErrorCode;
import dev.switchboard.core.message.Encoding;
import dev.switchboard.server.api.MessageJson;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;

/**
 * The WebSocket wire form. A message becomes a complete, unmasked text frame (header and JSON) once,
 * on the hub's fan-out thread; every subscriber writes the same bytes, past Netty's frame encoder.
 * Replies ({@code subscribed}, {@code ack}, {@code error}, {@code gap}) are small and built per use.
 */
final class WsFrames {
    static final ObjectMapper JSON = new ObjectMapper();

    /** {@code {"type":"message","topic",..,"offset",..,"time",..,"data",..}} as a whole frame. */
    static final Encoding<MessageJson.Bytes> MESSAGE = Encoding.of(m -> new MessageJson.Bytes(textFrame(MessageJson.write(m, "message"))));

    private WsFrames() {}

    /** RFC 6455 §5.2: FIN + text opcode, then a 7-bit, 16-bit or 64-bit length; server frames are not masked. */
    static byte[] textFrame(byte[] payload) {
        int n = payload.length;
        int header = n < 126 ? 2 : n <= 0xFFFF ? 4 : 10;
        byte[] frame = new byte[header + n];
        frame[0] = (byte) 0x81;
        if (n < 126) {
            frame[1] = (byte) n;
        } else if (n <= 0xFFFF) {
            frame[1] = 126;
            frame[2] = (byte) (n >>> 8);
            frame[3] = (byte) n;
        } else {
            frame[1] = 127;
            for (int i = 0; i < 8; i++) {
                frame[2 + i] = (byte) ((long) n >>> (56 - 8 * i));
            }
        }
        System.arraycopy(payload, 0, frame, header, n);
        return frame;
    }

    static ObjectNode reply(String type, String topic, JsonNode id) {
        ObjectNode o = JSON.createObjectNode().put("type", type);
        if (id != null) {
            o.set("id", id);
        }
        if (topic != null) {
            o.put("topic", topic);
        }
        return o;
    }

    static ObjectNode error(JsonNode id, ErrorCode code, String detail) {
        return reply("error", null, id).put("status", code.status()).put("code", code.slug()).put("retryable", code.retryable())
                .put("detail", detail);
    }

    static TextWebSocketFrame frame(ObjectNode o) {
        try {
            return new TextWebSocketFrame(Unpooled.wrappedBuffer(JSON.writeValueAsBytes(o)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e); // an ObjectNode always serializes
        }
    }
}
