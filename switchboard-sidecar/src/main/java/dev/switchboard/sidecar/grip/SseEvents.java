package dev.switchboard.sidecar.grip;

import dev.switchboard.core.error.CloseReason;
import dev.switchboard.core.message.Message;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/**
 * The SSE wire form of a held stream, as the server's {@code /events}: {@code id: <offset>}, one
 * {@code data:} line per payload line (binary payloads as one base64 line), a blank line.
 */
final class SseEvents {
    static final byte[] HEARTBEAT = ": heartbeat\n\n".getBytes(StandardCharsets.US_ASCII);

    private SseEvents() {}

    static byte[] event(Message m) {
        byte[] p = m.payload();
        ByteArrayOutputStream out = new ByteArrayOutputStream(p.length + 32);
        out.writeBytes(("id: " + m.offset() + "\n").getBytes(StandardCharsets.US_ASCII));
        if (isText(m.contentType())) {
            int start = 0;
            for (int i = 0; i <= p.length; i++) {
                if (i == p.length || p[i] == '\n' || p[i] == '\r') {
                    out.writeBytes("data: ".getBytes(StandardCharsets.US_ASCII));
                    out.write(p, start, i - start);
                    out.write('\n');
                    if (i < p.length && p[i] == '\r' && i + 1 < p.length && p[i + 1] == '\n') {
                        i++;
                    }
                    start = i + 1;
                }
            }
        } else {
            out.writeBytes(("data: " + Base64.getEncoder().encodeToString(p) + "\n").getBytes(StandardCharsets.US_ASCII));
        }
        out.write('\n');
        return out.toByteArray();
    }

    static byte[] gap(long after, long first) {
        return ("event: gap\ndata: {\"after\":" + after + ",\"first\":" + first + "}\n\n").getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] close(CloseReason reason) {
        return ("event: close\ndata: {\"reason\":\"" + reason.text() + "\"}\n\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static boolean isText(String contentType) {
        String ct = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        return ct.startsWith("text/") || ct.contains("json") || ct.contains("xml") || ct.contains("javascript");
    }
}
