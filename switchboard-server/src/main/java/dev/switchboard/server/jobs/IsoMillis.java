package dev.switchboard.server.jobs;

import java.time.Instant;

/**
 * Epoch milliseconds as {@link Instant#toString()} writes them ({@code 2026-11-28T09:05:49.123Z}, no
 * fraction on a whole second), without its formatter: a job's JSON carries three or four times, and
 * every job is written about six times (answers and events). The date and time of day up to the second
 * come from a small cache of recent seconds, since a job's times are all near now.
 */
final class IsoMillis {
    private static final int CACHED_SECONDS = 16; // a power of two: the slot is the second's low bits
    private static final long LAST_SECOND = 253_402_300_799L; // 9999-12-31T23:59:59Z: later years take a sign
    private static final String[] FRACTIONS = fractions();

    private record Second(long epochSecond, String dateTime) {}

    // Written and read by many threads without locks: a slot holds an immutable record, so a reader
    // sees either a whole one or an older one, and checks its second before using it.
    private static final Second[] CACHE = new Second[CACHED_SECONDS];

    private IsoMillis() {}

    static String format(long epochMillis) {
        long second = Math.floorDiv(epochMillis, 1000);
        if (second < 0 || second > LAST_SECOND) {
            return Instant.ofEpochMilli(epochMillis).toString();
        }
        int slot = (int) (second & (CACHED_SECONDS - 1));
        Second cached = CACHE[slot];
        if (cached == null || cached.epochSecond() != second) {
            String whole = Instant.ofEpochSecond(second).toString(); // ends with "Z"
            cached = new Second(second, whole.substring(0, whole.length() - 1));
            CACHE[slot] = cached;
        }
        return cached.dateTime() + FRACTIONS[(int) (epochMillis - second * 1000)];
    }

    /** {@code "Z"} for a whole second, else {@code ".001Z"} to {@code ".999Z"}. */
    private static String[] fractions() {
        String[] f = new String[1000];
        f[0] = "Z";
        for (int ms = 1; ms < 1000; ms++) {
            f[ms] = "." + (char) ('0' + ms / 100) + (char) ('0' + ms / 10 % 10) + (char) ('0' + ms % 10) + "Z";
        }
        return f;
    }
}
