package dev.switchboard.sidecar.ops;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * The line the command line's console format ({@link #FORMAT}) gives, {@code 2026-11-28T09:12:03.042+0000 INFO    switchboard.access: GET /…},
 * built by appending: {@code SimpleFormatter} runs {@code String.format} on every record, about 3 KB of garbage per access
 * line. The date and time down to the second, and the zone's offset, are formatted once per second. Like
 * {@code SimpleFormatter}, the time is the JVM's default zone's.
 */
final class AccessLogFormatter extends Formatter {
    /** The {@code java.util.logging.SimpleFormatter.format} this formatter writes (set by the CLI's {@code Logging}). */
    static final String FORMAT = "%1$tFT%1$tT.%1$tL%1$tz %4$-7s %3$s: %5$s%6$s%n";
    private static final DateTimeFormatter TO_SECOND = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.");
    private static final DateTimeFormatter OFFSET = DateTimeFormatter.ofPattern("xx"); // what %tz writes: +0000, -0800

    private record Second(long epochSecond, String text, String offset) {}

    private final ZoneId zone;
    private volatile Second second = new Second(Long.MIN_VALUE, "", "");

    AccessLogFormatter() {
        this(ZoneId.systemDefault());
    }

    AccessLogFormatter(ZoneId zone) {
        this.zone = zone;
    }

    @Override
    public String format(LogRecord r) {
        Instant time = r.getInstant();
        Second s = second;
        if (s.epochSecond() != time.getEpochSecond()) {
            ZonedDateTime local = time.atZone(zone);
            s = new Second(time.getEpochSecond(), TO_SECOND.format(local), OFFSET.format(local));
            second = s;
        }
        int millis = time.getNano() / 1_000_000;
        String level = r.getLevel().getLocalizedName();
        StringBuilder b = new StringBuilder(200).append(s.text())
                .append((char) ('0' + millis / 100)).append((char) ('0' + millis / 10 % 10)).append((char) ('0' + millis % 10))
                .append(s.offset()).append(' ').append(level);
        for (int pad = level.length(); pad < 7; pad++) {
            b.append(' ');
        }
        b.append(' ').append(r.getLoggerName()).append(": ").append(formatMessage(r));
        if (r.getThrown() != null) {
            StringWriter trace = new StringWriter();
            PrintWriter w = new PrintWriter(trace);
            w.println();
            r.getThrown().printStackTrace(w);
            w.close();
            b.append(trace);
        }
        return b.append(System.lineSeparator()).toString();
    }
}
