package dev.switchboard.cli;

import dev.switchboard.client.Job;
import dev.switchboard.client.JobStatus;
import java.io.Console;
import java.io.PrintWriter;

/**
 * A job's progress on stderr: {@code [#####.....] 50% resizing}. On a terminal ({@link Style#REDRAW}) one line
 * redrawn in place with a carriage return; elsewhere ({@link Style#LINES}) one line per change, so a log stays
 * readable. Only changes of status or progress are drawn. Called from one thread.
 */
final class JobProgressBar {
    /** How the bar is drawn. */
    enum Style { REDRAW, LINES, NONE }

    private static final int WIDTH = 10;

    private final PrintWriter err;
    private final Style style;
    private String drawn = "";

    JobProgressBar(PrintWriter err, Style style) {
        this.err = err;
        this.style = style;
    }

    /** {@code auto}: a redrawn bar when the JVM runs on a terminal, lines otherwise. */
    static Style style(String option) {
        return switch (option) {
            case "auto" -> onTerminal() ? Style.REDRAW : Style.LINES;
            case "bar" -> Style.REDRAW;
            case "lines" -> Style.LINES;
            case "none" -> Style.NONE;
            default -> throw new IllegalArgumentException("--progress must be auto, bar, lines or none, got '" + option + "'");
        };
    }

    /**
     * Whether the JVM runs on a terminal. Up to JDK 21 {@code System.console()} is null unless it does; from JDK 22
     * it exists either way and {@code Console.isTerminal()} (not in the release-21 API this builds against) says.
     */
    private static boolean onTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // JDK 21: a console at all means a terminal
        }
    }

    void show(Job job) {
        String line = line(job);
        if (style == Style.NONE || line.equals(drawn)) {
            return;
        }
        if (style == Style.REDRAW) {
            // Pad over the longer line drawn before; no ANSI codes, so any terminal shows it.
            err.print("\r" + line + " ".repeat(Math.max(0, drawn.length() - line.length())));
        } else {
            err.println(line);
        }
        err.flush();
        drawn = line;
    }

    /** A line of its own between the bar's (a reconnect, say); the bar is drawn again at the next change. */
    void note(String line) {
        finish();
        err.println(line);
        err.flush();
        drawn = "";
    }

    /** Ends a redrawn bar's line, so what follows starts on a line of its own. */
    void finish() {
        if (style == Style.REDRAW && !drawn.isEmpty()) {
            err.println();
            err.flush();
        }
    }

    static String line(Job job) {
        int percent = job.progress() == null ? (job.status() == JobStatus.SUCCEEDED ? 100 : 0)
                : job.progress().percent();
        int filled = Math.clamp(percent * WIDTH / 100, 0, WIDTH);
        StringBuilder s = new StringBuilder("[").append("#".repeat(filled)).append(".".repeat(WIDTH - filled)).append("] ")
                .append(percent).append('%');
        if (job.isFinished() || job.progress() == null || job.progress().message() == null) {
            s.append(' ').append(job.status().wire());
        } else {
            s.append(' ').append(job.progress().message());
        }
        return s.toString();
    }
}
