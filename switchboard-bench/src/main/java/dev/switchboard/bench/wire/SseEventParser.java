package dev.switchboard.bench.wire;

import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;
import java.nio.charset.StandardCharsets;

/**
 * Splits an SSE byte stream into lines and events: {@code id:} gives the offset, the {@code data:}
 * line the payload (its {@code "t"} the send time), a blank line ends the event. Comments,
 * {@code retry:} and named events ({@code gap}, {@code close}) are not deliveries.
 */
final class SseEventParser {
    private static final byte[] ID = "id: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EVENT = "event: ".getBytes(StandardCharsets.US_ASCII);

    private final Cursor cursor;
    private byte[] line = new byte[256];
    private int length;
    private long id = -1;
    private long sent;
    private boolean named;

    SseEventParser(Cursor cursor) {
        this.cursor = cursor;
    }

    void feed(ByteBuf content) {
        int from = content.readerIndex();
        int end = content.writerIndex();
        while (from < end) {
            int lf = content.forEachByte(from, end - from, ByteProcessor.FIND_LF);
            int to = lf < 0 ? end : lf;
            append(content, from, to - from);
            if (lf < 0) {
                return;
            }
            line();
            length = 0;
            from = lf + 1;
        }
    }

    private void append(ByteBuf content, int from, int n) {
        if (length + n > line.length) {
            line = java.util.Arrays.copyOf(line, Math.max(line.length * 2, length + n));
        }
        content.getBytes(from, line, length, n);
        length += n;
    }

    private void line() {
        if (length == 0) {
            if (id >= 0 && !named) {
                cursor.received(id, sent);
            }
            id = -1;
            sent = 0;
            named = false;
        } else if (JsonScan.startsWith(line, 0, length, ID)) {
            id = JsonScan.digits(line, ID.length, length);
        } else if (JsonScan.startsWith(line, 0, length, DATA)) {
            sent = Math.max(0, JsonScan.longAfter(line, DATA.length, length, JsonScan.SENT));
        } else if (JsonScan.startsWith(line, 0, length, EVENT)) {
            named = true;
        }
    }
}
