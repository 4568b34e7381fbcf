package dev.switchboard.server.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * NDJSON request bodies, the batch forms of publish and of job submit: one JSON value per line, blank
 * lines skipped, {@code \r\n} fine. This only finds the lines; each route reads them as it needs.
 */
public final class Ndjson {
    public static final String MEDIA_TYPE = "application/x-ndjson";

    /** A non-blank line: bytes {@code [from, to)} of the body, trimmed, numbered from 1 as an editor counts. */
    public record Line(int number, int from, int to) {}

    private Ndjson() {}

    public static boolean is(String contentType) {
        return contentType != null && MessageJson.baseType(contentType.trim()).equals(MEDIA_TYPE);
    }

    /** The non-blank lines of {@code body}, in order. */
    public static List<Line> lines(byte[] body) {
        List<Line> lines = new ArrayList<>();
        int number = 1;
        for (int start = 0; start <= body.length; number++) {
            int end = indexOf(body, (byte) '\n', start);
            int from = start;
            int to = end;
            while (from < to && isBlank(body[from])) {
                from++;
            }
            while (to > from && isBlank(body[to - 1])) {
                to--;
            }
            if (from < to) {
                lines.add(new Line(number, from, to));
            }
            start = end + 1;
        }
        return lines;
    }

    /** The body without a leading UTF-8 byte order mark: JSON allows none, and a reader would get it spliced into its JSON. */
    public static byte[] withoutBom(byte[] body) {
        boolean bom = body.length >= 3 && body[0] == (byte) 0xEF && body[1] == (byte) 0xBB && body[2] == (byte) 0xBF;
        return bom ? Arrays.copyOfRange(body, 3, body.length) : body;
    }

    private static int indexOf(byte[] bytes, byte b, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return bytes.length;
    }

    private static boolean isBlank(byte b) {
        return b == ' ' || b == '\t' || b == '\r';
    }
}
