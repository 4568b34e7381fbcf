package dev.switchboard.bench.wire;

import java.nio.charset.StandardCharsets;

/**
 * Reads one integer field out of JSON bytes without parsing the rest — how the subscribers find a
 * message's {@code offset} and its payload's send time {@code t} at a million deliveries per second.
 * Only for the bench's own payloads and the server's fixed frame layout.
 */
final class JsonScan {
    static final byte[] OFFSET = key("offset");
    static final byte[] SENT = key("t");

    private JsonScan() {}

    /** {@code "name":} as bytes. */
    static byte[] key(String name) {
        return ("\"" + name + "\":").getBytes(StandardCharsets.US_ASCII);
    }

    /** The non-negative integer after the first {@code key} in {@code b[from, to)}, or -1. */
    static long longAfter(byte[] b, int from, int to, byte[] key) {
        int at = indexOf(b, from, to, key);
        if (at < 0) {
            return -1;
        }
        return digits(b, at + key.length, to);
    }

    /** The non-negative integer at {@code b[from]} (up to the first non-digit before {@code to}), or -1. */
    static long digits(byte[] b, int from, int to) {
        long v = 0;
        int i = from;
        for (; i < to && b[i] >= '0' && b[i] <= '9'; i++) {
            v = v * 10 + (b[i] - '0');
        }
        return i == from ? -1 : v;
    }

    static int indexOf(byte[] b, int from, int to, byte[] needle) {
        outer:
        for (int i = from; i <= to - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (b[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static boolean startsWith(byte[] b, int from, int to, byte[] prefix) {
        return to - from >= prefix.length && indexOf(b, from, from + prefix.length, prefix) == from;
    }
}
