package dev.switchboard.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongFunction;

/**
 * A block of {@value #EVENTS} pre-encoded deliveries in Switchboard's wire form (SSE events or unmasked
 * WebSocket text frames, 100-byte payloads) whose offsets are fixed-width fields: each block written is
 * the template with the next offsets patched in, so the generator's cursors see gap-free, increasing
 * offsets at almost no cost to the ceiling server. Payloads carry {@code "t":0}: no latency is measured.
 */
final class CeilingFrames {
    static final int EVENTS = 32;
    /** Twelve-digit offsets, so every one has the same width. */
    static final long FIRST_OFFSET = 100_000_000_001L;
    private static final int DIGITS = 12;
    private static final String PAYLOAD = "{\"t\":0,\"p\":\"" + "x".repeat(100 - 14) + "\"}";

    private final byte[] template;
    private final int[] offsetAt;

    private CeilingFrames(byte[] template, int[] offsetAt) {
        this.template = template;
        this.offsetAt = offsetAt;
    }

    /** Events in one HTTP/1.1 chunk, chunk framing included: the ceiling server writes raw bytes, past any codec. */
    static CeilingFrames sse() {
        CeilingFrames events = build(offset -> ascii("id: " + offset + "\ndata: " + PAYLOAD + "\n\n"), "id: ".length());
        byte[] head = ascii(Integer.toHexString(events.template.length) + "\r\n");
        ByteArrayOutputStream chunk = new ByteArrayOutputStream();
        chunk.writeBytes(head);
        chunk.writeBytes(events.template);
        chunk.writeBytes(ascii("\r\n"));
        return new CeilingFrames(chunk.toByteArray(), Arrays.stream(events.offsetAt).map(p -> p + head.length).toArray());
    }

    static CeilingFrames ws() {
        String head = "{\"type\":\"message\",\"topic\":\"ceiling\",\"offset\":";
        return build(offset -> {
            byte[] json = ascii(head + offset + ",\"time\":\"2026-01-01T00:00:00.000Z\",\"data\":" + PAYLOAD + "}");
            ByteArrayOutputStream frame = new ByteArrayOutputStream();
            frame.write(0x81); // FIN + text (RFC 6455 §5.2); the payload is 126..65535 bytes long
            frame.write(126);
            frame.write(json.length >>> 8);
            frame.write(json.length & 0xFF);
            frame.writeBytes(json);
            return frame.toByteArray();
        }, 4 + head.length());
    }

    /** @param offsetInEvent where the offset's digits start inside one encoded event */
    private static CeilingFrames build(LongFunction<byte[]> event, int offsetInEvent) {
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            positions.add(block.size() + offsetInEvent);
            block.writeBytes(event.apply(FIRST_OFFSET + i));
        }
        return new CeilingFrames(block.toByteArray(), positions.stream().mapToInt(Integer::intValue).toArray());
    }

    /** The block of events {@code first … first + EVENTS - 1}. */
    ByteBuf block(ByteBufAllocator alloc, long first) {
        ByteBuf b = alloc.directBuffer(template.length).writeBytes(template);
        for (int i = 0; i < EVENTS; i++) {
            long v = first + i;
            for (int d = DIGITS - 1; d >= 0; d--, v /= 10) {
                b.setByte(offsetAt[i] + d, (int) ('0' + v % 10));
            }
        }
        return b;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
