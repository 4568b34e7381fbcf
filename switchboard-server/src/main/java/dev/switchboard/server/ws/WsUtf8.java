package dev.switchboard.server.ws;

import io.netty.buffer.ByteBuf;

/**
 * Strict UTF-8 check of text frames, fragment by fragment (RFC 3629: no overlong forms, no encoded
 * surrogates, nothing above U+10FFFF), so a message that is not UTF-8 is refused with 1007 at its
 * first bad fragment. The state between fragments is one {@code int}, kept by {@link WebSocketHandler}
 * instead of a validator handler per socket.
 */
final class WsUtf8 {
    /** Between characters: where every message starts, and where a valid one ends. */
    static final int ACCEPT = 0;
    /** Not UTF-8. */
    static final int REJECT = -1;

    private WsUtf8() {}

    /**
     * Checks {@code buf}'s readable bytes, continuing from {@code state} (a previous result, or
     * {@link #ACCEPT}); returns the state after them or {@link #REJECT}. State: continuation bytes still
     * expected (bits 0–7), then the lowest (8–15) and highest (16–23) value the next one may take.
     */
    static int scan(ByteBuf buf, int state) {
        if (state == REJECT) {
            return REJECT;
        }
        int need = state & 0xFF;
        int lo = (state >>> 8) & 0xFF;
        int hi = (state >>> 16) & 0xFF;
        for (int i = buf.readerIndex(), end = buf.writerIndex(); i < end; i++) {
            int b = buf.getByte(i) & 0xFF;
            if (need == 0) {
                if (b < 0x80) {
                    continue;
                }
                lo = 0x80;
                hi = 0xBF;
                if (b >= 0xC2 && b <= 0xDF) {
                    need = 1;
                } else if (b == 0xE0) {
                    need = 2;
                    lo = 0xA0; // no overlong three-byte form
                } else if (b == 0xED) {
                    need = 2;
                    hi = 0x9F; // no surrogates
                } else if (b >= 0xE1 && b <= 0xEF) {
                    need = 2;
                } else if (b == 0xF0) {
                    need = 3;
                    lo = 0x90; // no overlong four-byte form
                } else if (b >= 0xF1 && b <= 0xF3) {
                    need = 3;
                } else if (b == 0xF4) {
                    need = 3;
                    hi = 0x8F; // nothing above U+10FFFF
                } else {
                    return REJECT; // a continuation byte first, C0/C1 (overlong) or F5 and up
                }
            } else {
                if (b < lo || b > hi) {
                    return REJECT;
                }
                need--;
                lo = 0x80;
                hi = 0xBF;
            }
        }
        return need == 0 ? ACCEPT : need | lo << 8 | hi << 16;
    }
}
