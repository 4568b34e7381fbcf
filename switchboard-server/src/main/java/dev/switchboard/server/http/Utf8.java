package dev.switchboard.server.http;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Strict UTF-8 checking (overlong forms and surrogates rejected) without decoding the whole body at once. */
final class Utf8 {
    private static final int CHUNK = 4096;

    private Utf8() {}

    /** The index of the first byte that is not valid UTF-8 in {@code bytes[from, to)}, or -1 when all is valid. */
    static int firstInvalid(byte[] bytes, int from, int to) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, from, to - from);
        CharBuffer out = CharBuffer.allocate(Math.min(CHUNK, to - from + 1));
        while (true) {
            CoderResult r = decoder.decode(in, out, true);
            if (r.isError()) {
                return in.position();
            }
            if (r.isUnderflow()) {
                return -1;
            }
            out.clear(); // overflow: only validity matters, drop what was decoded
        }
    }

    static boolean isValid(byte[] bytes) {
        return firstInvalid(bytes, 0, bytes.length) < 0;
    }
}
