package dev.switchboard.core.store;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Job ids: 48 bits of creation time in milliseconds, then 80 random bits, as 32 hex digits. Ids made
 * later sort later (an index on them stays append-mostly), and no coordination between nodes is needed.
 */
public final class JobIds {
    private static final SecureRandom RANDOM = new SecureRandom();

    private JobIds() {}

    public static String next(long nowMillis) {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        for (int i = 0; i < 6; i++) {
            bytes[i] = (byte) (nowMillis >>> (40 - 8 * i));
        }
        return HexFormat.of().formatHex(bytes);
    }

    /** Job ids are exactly what {@link #next} makes: anything else in a path is refused before a lookup. */
    public static boolean isWellFormed(String id) {
        return id != null && id.length() == 32 && id.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
    }
}
