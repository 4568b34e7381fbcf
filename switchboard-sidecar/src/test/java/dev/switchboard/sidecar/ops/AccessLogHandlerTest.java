package dev.switchboard.sidecar.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.XMLFormatter;
import org.junit.jupiter.api.Test;

/** The access log's own console path: the command line's console line, written a batch at a time, and only where that is the set-up. */
class AccessLogHandlerTest {
    private static LogRecord record(Level level, String message, Instant at) {
        LogRecord r = new LogRecord(level, message);
        r.setLoggerName("switchboard.access");
        r.setSourceClassName("switchboard.access");
        r.setSourceMethodName("request");
        r.setInstant(at);
        return r;
    }

    /** What SimpleFormatter writes with the command line's format. */
    private static String simpleFormatterLine(LogRecord r) {
        return String.format(AccessLogFormatter.FORMAT, r.getInstant().atZone(ZoneId.systemDefault()), "switchboard.access request",
                r.getLoggerName(), r.getLevel().getLocalizedName(), r.getMessage(), "");
    }

    @Test
    void theLineIsTheOneTheCommandLinesConsoleFormatWrites() {
        Formatter f = new AccessLogFormatter();
        String line = "GET /hello?q=1 status=200 bytes=18 upstream_ms=0.21 total_ms=0.35 trace=4bf92f3577b34da6a3ce929d0e0e4736 client=127.0.0.1";
        for (Instant at : new Instant[] {Instant.parse("2026-11-28T09:12:03.042Z"), Instant.parse("2026-11-28T09:12:03.999Z"),
                Instant.parse("2026-11-28T09:12:04.000Z"), Instant.parse("2026-12-31T23:59:59.507Z")}) {
            for (Level level : new Level[] {Level.INFO, Level.WARNING, Level.FINE}) {
                LogRecord r = record(level, line, at);
                assertThat(f.format(r)).isEqualTo(simpleFormatterLine(r));
            }
        }
    }

    @Test
    void theTimeSaysItsOffsetFromUtc() {
        String line = "GET /hello status=200";
        Instant at = Instant.parse("2026-11-28T09:12:03.042Z");
        assertThat(new AccessLogFormatter(ZoneOffset.UTC).format(record(Level.INFO, line, at)))
                .startsWith("2026-11-28T09:12:03.042+0000 INFO    switchboard.access: GET /hello status=200");
        assertThat(new AccessLogFormatter(ZoneId.of("America/Los_Angeles")).format(record(Level.INFO, line, at)))
                .startsWith("2026-11-28T01:12:03.042-0800 INFO    switchboard.access: GET /hello status=200");
    }

    @Test
    void linesAreWrittenWholeOnlyWhenTheBatchIsFlushed() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AccessLogHandler h = new AccessLogHandler(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        Instant at = Instant.parse("2026-11-28T09:12:03.042Z");
        h.publish(record(Level.INFO, "GET /a status=200", at));
        h.publish(record(Level.INFO, "GET /b status=404", at));
        assertThat(bytes.size()).as("bytes written before the flush").isZero();
        h.flush();
        assertThat(bytes.toString(StandardCharsets.UTF_8).lines()).hasSize(2)
                .allSatisfy(l -> assertThat(l).startsWith("2026-11-28T").contains(" INFO    switchboard.access: GET /"));
        h.setLevel(Level.WARNING);
        h.publish(record(Level.INFO, "GET /c status=200", at));
        h.flush();
        assertThat(bytes.toString(StandardCharsets.UTF_8)).as("below the handler's level").doesNotContain("GET /c");
    }

    @Test
    void theConsoleIsReplacedOnlyWhereLoggingIsSetUpAsTheCommandLineSetsIt() {
        ConsoleHandler console = new ConsoleHandler();
        try {
            Logger access = loggerUnder(console);
            assertThat(AccessLogHandler.replaceConsole(access, "%1$tc %2$s%n%4$s: %5$s%6$s%n")).as("another format").isFalse();
            assertThat(access.getHandlers()).isEmpty();
            assertThat(AccessLogHandler.replaceConsole(access, AccessLogFormatter.FORMAT)).isTrue();
            assertThat(access.getHandlers()).singleElement().isInstanceOf(AccessLogHandler.class);
            assertThat(access.getUseParentHandlers()).isFalse();
            assertThat(AccessLogHandler.replaceConsole(access, AccessLogFormatter.FORMAT)).as("a second time").isFalse();
            assertThat(access.getHandlers()).hasSize(1);

            console.setFormatter(new XMLFormatter());
            Logger elsewhere = loggerUnder(console);
            assertThat(AccessLogHandler.replaceConsole(elsewhere, AccessLogFormatter.FORMAT)).as("a formatter set on purpose").isFalse();
            assertThat(elsewhere.getUseParentHandlers()).isTrue();
        } finally {
            console.close();
        }
    }

    private static Logger loggerUnder(ConsoleHandler console) {
        Logger parent = Logger.getAnonymousLogger();
        parent.setUseParentHandlers(false);
        parent.addHandler(console);
        Logger access = Logger.getAnonymousLogger();
        access.setParent(parent);
        return access;
    }
}
