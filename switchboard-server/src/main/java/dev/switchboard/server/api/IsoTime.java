package dev.switchboard.server.api;

import java.time.Instant;

/**
 * Epoch milliseconds as ISO-8601 UTC text, exactly as {@link Instant#toString()} writes them
 * ({@code 2026-11-28T02:03:46.120Z}, the fraction left out when it is zero). Every message and job
 * answer carries such times, and {@code Instant.toString} goes through a general formatter that costs
 * several times this arithmetic.
 */
public final class IsoTime {
    private static final long MILLIS_PER_DAY = 86_400_000L;
    // 0000-01-01 .. 9999-12-31: beyond, Instant writes a sign and more digits
    private static final long MIN = -62_167_219_200_000L;
    private static final long MAX = 253_402_300_799_999L;

    private IsoTime() {}

    public static String format(long epochMillis) {
        if (epochMillis < MIN || epochMillis > MAX) {
            return Instant.ofEpochMilli(epochMillis).toString();
        }
        long days = Math.floorDiv(epochMillis, MILLIS_PER_DAY);
        int ofDay = (int) Math.floorMod(epochMillis, MILLIS_PER_DAY);
        // Civil date from days since 1970-01-01 (Howard Hinnant's days_from_civil, inverted).
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long dayOfEra = z - era * 146_097;
        long yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long mp = (5 * dayOfYear + 2) / 153;
        int day = (int) (dayOfYear - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        int year = (int) (yearOfEra + era * 400 + (month <= 2 ? 1 : 0));
        int millis = ofDay % 1_000;
        int seconds = ofDay / 1_000;
        char[] out = new char[millis == 0 ? 20 : 24];
        digits(out, 0, year, 4);
        out[4] = '-';
        digits(out, 5, month, 2);
        out[7] = '-';
        digits(out, 8, day, 2);
        out[10] = 'T';
        digits(out, 11, seconds / 3_600, 2);
        out[13] = ':';
        digits(out, 14, seconds / 60 % 60, 2);
        out[16] = ':';
        digits(out, 17, seconds % 60, 2);
        if (millis != 0) {
            out[19] = '.';
            digits(out, 20, millis, 3);
        }
        out[out.length - 1] = 'Z';
        return new String(out);
    }

    private static void digits(char[] out, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}
