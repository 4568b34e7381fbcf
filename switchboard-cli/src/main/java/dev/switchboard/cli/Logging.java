package dev.switchboard.cli;

import java.util.logging.Level;
import java.util.logging.Logger;

/** One line per log record on stderr: time, level, logger, message. */
final class Logging {
    private Logging() {}

    static void configure() {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tLZ %4$-7s %3$s: %5$s%6$s%n");
        }
        // Netty logs through java.util.logging when nothing else is on the class path; keep its chatter down.
        Logger.getLogger("io.netty").setLevel(Level.WARNING);
    }
}
