package dev.switchboard.cli;

import dev.switchboard.client.Job;
import dev.switchboard.client.JobStatus;
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

    /** {@code auto}: a redrawn bar when the JVM has a console (stdin and stdout are a terminal), lines otherwise. */
    static Style style(String option) {
        return switch (option) {
            case "auto" -> System.console() != null ? Style.REDRAW : Style.LINES;
            case "bar" -> Style.REDRAW;
            case "lines" -> Style.LINES;
            case "none" -> Style.NONE;
            default -> throw new IllegalArgumentException("--progress must be auto, bar, lines or none, got '" + option + "'");
        };
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
