package dev.switchboard.core.store;

import dev.switchboard.core.message.NameSyntax;
import java.security.SecureRandom;
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
    private static final long NONE = Long.MIN_VALUE;
    /**
     * Random bytes drawn 4 KiB at a time: a draw of 16 bytes costs the platform's generator a lock and a
     * read of {@code /dev/urandom}, as much as 400 of them taken from a buffer (timed on this machine kind).
     */
    private static final byte[] POOL = new byte[4096];
    private static int used = POOL.length; // guarded by POOL
    /** This thread's last id: its millisecond, then the high 16 and low 64 bits of its random part. */
    private static final ThreadLocal<long[]> LAST = ThreadLocal.withInitial(() -> new long[] {NONE, 0, 0});

    private JobIds() {}

    public static String next(long nowMillis) {
        long[] last = LAST.get();
        long high;
        long low;
        if (last[0] == nowMillis) {
            // A step of 1 to 2^32: the next id sorts after the last and is still not guessable from it.
            long step = 1 + (random(4) & 0xFFFF_FFFFL);
            low = last[2] + step;
            high = last[1] + (Long.compareUnsigned(low, last[2]) < 0 ? 1 : 0);
        } else {
            high = random(2) & 0xFFFF;
            low = random(8);
        }
        if (high > 0xFFFF) { // 80 bits ran out within one millisecond: never in practice; order within it is then lost
            high = random(2) & 0xFFFF;
            low = random(8);
        }
        last[0] = nowMillis;
        last[1] = high;
        last[2] = low;
        byte[] bytes = new byte[16];
        for (int i = 0; i < 6; i++) {
            bytes[i] = (byte) (nowMillis >>> (40 - 8 * i));
        }
        bytes[6] = (byte) (high >>> 8);
        bytes[7] = (byte) high;
        for (int i = 0; i < 8; i++) {
            bytes[8 + i] = (byte) (low >>> (56 - 8 * i));
        }
        return HEX.formatHex(bytes);
    }

    /** Job ids are exactly what {@link #next} makes: anything else in a path is refused before a lookup. */
    public static boolean isWellFormed(String id) {
        return NameSyntax.isLowerHex(id, 0, 32);
    }

    /** {@code n} (at most 8) random bytes from the pool, as the low bytes of a long. */
    private static long random(int n) {
        long value = 0;
        synchronized (POOL) {
            if (used + n > POOL.length) {
                RANDOM.nextBytes(POOL);
                used = 0;
            }
            for (int i = 0; i < n; i++) {
                value = value << 8 | (POOL[used++] & 0xFF);
            }
        }
        return value;
    }
}
