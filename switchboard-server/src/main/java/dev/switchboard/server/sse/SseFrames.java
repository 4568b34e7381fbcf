package dev.switchboard.server.sse;

import dev.switchboard.core.error.CloseReason;
import dev.switchboard.core.message.Encoding;
import dev.switchboard.core.message.Message;
import dev.switchboard.server.api.MessageJson;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The SSE wire form: {@code id: <offset>}, one {@code data:} line per payload line, a blank line.
 * Each message is framed once ({@link #EVENT}) and the bytes are shared by every subscriber.
 */
public final class SseFrames {
    /** The event of one message; computed once per message, on the hub's fan-out thread. */
    public static final Encoding<MessageJson.Bytes> EVENT = Encoding.of(m -> new MessageJson.Bytes(event(m)));

    public static final byte[] HEARTBEAT = ascii(": heartbeat\n\n");

    private static final byte[] ID = ascii("id: ");
    private static final byte[] DATA = ascii("data: ");

    private SseFrames() {}

    public static byte[] retry(long millis) {
        return ascii("retry: " + millis + "\n\n");
    }

    public static byte[] gap(long after, long first) {
        return ascii("event: gap\ndata: {\"after\":" + after + ",\"first\":" + first + "}\n\n");
    }

    public static byte[] close(CloseReason reason) {
        return ascii("event: close\ndata: {\"reason\":\"" + reason.text() + "\"}\n\n");
    }

    public static byte[] event(Message m) {
        byte[] p = m.payload();
        ByteArrayOutputStream out = new ByteArrayOutputStream(p.length + 32);
        out.writeBytes(ID);
        out.writeBytes(ascii(Long.toString(m.offset())));
        out.write('\n');
        String ct = m.contentType();
        if (MessageJson.isJson(ct) || MessageJson.isText(ct)) {
            dataLines(out, p);
        } else {
            out.writeBytes(DATA);
            out.writeBytes(Base64.getEncoder().encode(p));
            out.write('\n');
        }
        out.write('\n');
        return out.toByteArray();
    }

    /** One {@code data:} line per line of {@code p} (CRLF, CR or LF); UTF-8 never has 0x0A/0x0D inside a character. */
    private static void dataLines(ByteArrayOutputStream out, byte[] p) {
        int start = 0;
        for (int i = 0; i < p.length; i++) {
            if (p[i] == '\n' || p[i] == '\r') {
                line(out, p, start, i);
                if (p[i] == '\r' && i + 1 < p.length && p[i + 1] == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        line(out, p, start, p.length);
    }

    private static void line(ByteArrayOutputStream out, byte[] p, int from, int to) {
        out.writeBytes(DATA);
        out.write(p, from, to - from);
        out.write('\n');
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
