package dev.switchboard.core.store;

import dev.switchboard.core.message.NameSyntax;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Job ids: 48 bits of creation time in milliseconds, then 80 random bits, as 32 hex digits. Ids made
 * later sort later (an index on them stays append-mostly), and no coordination between nodes is needed.
 * Ids one thread makes within the same millisecond sort in the order it made them (the random part of
 * each is the last one's plus a random step), so a batch submitted in one call is claimed in its order:
 * claims take the oldest first, and a batch's jobs share their creation time.
 */
public final class JobIds {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();
    /**
     * Random bytes drawn 4 KiB at a time: a draw of 16 bytes costs the platform's generator a lock and a
     * read of {@code /dev/urandom}, as much as 400 of them taken from a buffer (timed on this machine kind).
     */
    private static final byte[] POOL = new byte[4096];
    private static int used = POOL.length; // guarded by POOL
    /** This thread's last id, as bytes; null before its first. */
    private static final ThreadLocal<byte[]> LAST = new ThreadLocal<>();

    private JobIds() {}

    public static String next(long nowMillis) {
        byte[] bytes = new byte[16];
        for (int i = 0; i < 6; i++) {
            bytes[i] = (byte) (nowMillis >>> (40 - 8 * i));
        }
        byte[] last = LAST.get();
        if (last == null || !Arrays.equals(last, 0, 6, bytes, 0, 6) || !stepFrom(last, bytes)) {
            draw(bytes, 6, 10);
        }
        LAST.set(bytes);
        return HEX.formatHex(bytes);
    }

    /** Job ids are exactly what {@link #next} makes: anything else in a path is refused before a lookup. */
    public static boolean isWellFormed(String id) {
        return NameSyntax.isLowerHex(id, 0, 32);
    }

    /**
     * Makes the random part of {@code next} (bytes 6 to 15, one 80-bit number) the last one's plus a random step
     * of 1 to 2^32: the next id sorts after the last and is still not guessable from it. False when the 80 bits
     * ran out within one millisecond (never in practice): the caller then draws afresh, and order is lost.
     */
    private static boolean stepFrom(byte[] last, byte[] next) {
        byte[] step = new byte[4];
        draw(step, 0, 4);
        int carry = 1;
        for (int i = 15; i >= 6; i--) {
            int sum = (last[i] & 0xFF) + (i >= 12 ? step[i - 12] & 0xFF : 0) + carry;
            next[i] = (byte) sum;
            carry = sum >>> 8;
        }
        return carry == 0;
    }

    /** {@code n} random bytes from the pool into {@code into} at {@code at}. */
    private static void draw(byte[] into, int at, int n) {
        synchronized (POOL) {
            if (used + n > POOL.length) {
                RANDOM.nextBytes(POOL);
                used = 0;
            }
            System.arraycopy(POOL, used, into, at, n);
            used += n;
        }
    }
}
