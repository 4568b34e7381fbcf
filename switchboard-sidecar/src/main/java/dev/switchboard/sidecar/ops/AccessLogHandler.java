package dev.switchboard.sidecar.ops;

import java.io.PrintStream;
import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Writes access lines to stderr the way the console handler would, but collected: {@link AccessLog}'s writer flushes once
 * per batch, so a batch costs a write or two instead of a flushed write per line, and since each flush writes whole
 * lines at once, another thread's log line never lands in the middle of one.
 */
final class AccessLogHandler extends Handler {
    private static final int FLUSH_AT_CHARS = 64 * 1024;

    private final PrintStream out;
    private final StringBuilder pending = new StringBuilder();

    AccessLogHandler(PrintStream out) {
        this.out = out;
        setFormatter(new AccessLogFormatter());
    }

    /**
     * Gives {@code access} this handler in place of its parent's console handler, only when logging is set up as the
     * command line sets it: no handler of its own, a parent with one {@code ConsoleHandler} and {@code SimpleFormatter},
     * and {@code consoleFormat} the one {@link AccessLogFormatter} writes. Anything else was configured on purpose and is
     * left alone. Returns whether it did.
     */
    static synchronized boolean replaceConsole(Logger access, String consoleFormat) {
        Logger parent = access.getParent();
        if (access.getHandlers().length > 0 || !access.getUseParentHandlers() || parent == null
                || !AccessLogFormatter.FORMAT.equals(consoleFormat)) {
            return false;
        }
        Handler[] parentHandlers = parent.getHandlers();
        if (parentHandlers.length != 1 || parentHandlers[0].getClass() != ConsoleHandler.class
                || parentHandlers[0].getFormatter().getClass() != SimpleFormatter.class) {
            return false;
        }
        AccessLogHandler h = new AccessLogHandler(System.err);
        h.setLevel(parentHandlers[0].getLevel());
        access.addHandler(h);
        access.setUseParentHandlers(false);
        return true;
    }

    /** The console format in effect: the system property wins over the logging configuration, as in {@code SimpleFormatter}. */
    static String consoleFormat() {
        String format = System.getProperty("java.util.logging.SimpleFormatter.format");
        return format != null ? format : LogManager.getLogManager().getProperty("java.util.logging.SimpleFormatter.format");
    }

    @Override
    public synchronized void publish(LogRecord r) {
        if (!isLoggable(r)) {
            return;
        }
        pending.append(getFormatter().format(r));
        if (pending.length() >= FLUSH_AT_CHARS) {
            flush();
        }
    }

    @Override
    public synchronized void flush() {
        if (!pending.isEmpty()) {
            out.print(pending); // one call under the stream's lock: whole lines
            out.flush();
            pending.setLength(0);
        }
    }

    @Override
    public void close() {
        flush();
    }
}
