package dev.switchboard.core.store;

import dev.switchboard.core.message.NameSyntax;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Job ids: 48 bits of creation time in milliseconds, then 80 random bits, as 32 hex digits. Ids made
 * later sort later (an index on them stays append-mostly), and no coordination between nodes is needed.
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

    private JobIds() {}

    public static String next(long nowMillis) {
        byte[] bytes = new byte[16];
        synchronized (POOL) {
            if (used + 10 > POOL.length) {
                RANDOM.nextBytes(POOL);
                used = 0;
            }
            System.arraycopy(POOL, used, bytes, 6, 10);
            used += 10;
        }
        for (int i = 0; i < 6; i++) {
            bytes[i] = (byte) (nowMillis >>> (40 - 8 * i));
        }
        return HEX.formatHex(bytes);
    }

    /** Job ids are exactly what {@link #next} makes: anything else in a path is refused before a lookup. */
    public static boolean isWellFormed(String id) {
        return NameSyntax.isLowerHex(id, 0, 32);
    }
}
