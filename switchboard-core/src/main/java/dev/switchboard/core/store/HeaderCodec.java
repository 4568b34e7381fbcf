package dev.switchboard.core.store;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Message headers as one binary column, for stores to share: a count, then each name and value as a
 * length-prefixed UTF-8 string, every number an unsigned LEB128 varint. No headers is stored as NULL.
 */
public final class HeaderCodec {
    private HeaderCodec() {}

    public static byte[] encode(Map<String, String> headers) {
        if (headers.isEmpty()) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * headers.size());
        writeVarint(out, headers.size());
        headers.forEach((name, value) -> {
            writeString(out, name);
            writeString(out, value);
        });
        return out.toByteArray();
    }

    public static Map<String, String> decode(byte[] blob) {
        if (blob == null || blob.length == 0) {
            return Map.of();
        }
        ByteBuffer in = ByteBuffer.wrap(blob);
        int count = readVarint(in);
        Map<String, String> headers = HashMap.newHashMap(count);
        for (int i = 0; i < count; i++) {
            headers.put(readString(in), readString(in));
        }
        return headers;
    }

    private static void writeString(ByteArrayOutputStream out, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        writeVarint(out, bytes.length);
        out.writeBytes(bytes);
    }

    private static String readString(ByteBuffer in) {
        int length = readVarint(in);
        String s = new String(in.array(), in.position(), length, StandardCharsets.UTF_8);
        in.position(in.position() + length);
        return s;
    }

    private static void writeVarint(ByteArrayOutputStream out, int value) {
        while ((value & ~0x7F) != 0) {
            out.write((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out.write(value);
    }

    private static int readVarint(ByteBuffer in) {
        int value = 0;
        for (int shift = 0; ; shift += 7) {
            byte b = in.get();
            value |= (b & 0x7F) << shift;
            if (b >= 0) {
                return value;
            }
        }
    }
}
