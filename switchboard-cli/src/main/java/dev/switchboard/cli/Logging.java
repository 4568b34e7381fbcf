package dev.switchboard.cli;

import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/** One line per log record on stderr: time (with the zone's offset from UTC), level, logger, message. */
final class Logging {
    private Logging() {}

    /** Call first in main, before anything logs. */
    static void configure() {
        if (System.getProperty("java.util.logging.manager") == null) {
            System.setProperty("java.util.logging.manager", KeepOpenLogManager.class.getName());
        }
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tL%1$tz %4$-7s %3$s: %5$s%6$s%n");
        }
        // Netty logs through java.util.logging when nothing else is on the class path; keep its chatter down.
        Logger.getLogger("io.netty").setLevel(Level.WARNING);
    }

    /**
     * The JDK closes every log handler in a shutdown hook of its own, which races with ours: the lines
     * a graceful shutdown writes ("shutting down", "stopped") would be lost. This manager ignores that
     * reset; the process is exiting anyway.
     */
    public static final class KeepOpenLogManager extends LogManager {
        @Override
        public void reset() {
            // Keep handlers open until the JVM exits.
        }
    }
}
