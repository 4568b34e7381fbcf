package dev.switchboard.sidecar.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One line per request on the {@code switchboard.access} logger, in a key=value form that greps and
 * parses: {@code GET /path status=200 bytes=5120 upstream_ms=1.84 total_ms=2.10 trace=… client=…}.
 * {@code upstream_ms} runs from sending the request to the response head ({@code -} without one);
 * {@code bytes} counts response body bytes sent to the client.
 *
 * <p>Event loops only queue the line; a thread of its own writes it. Log handlers lock and write to a
 * file or pipe, and an event loop must not wait on either. Past {@value #QUEUE_LINES} lines waiting
 * (a log reader that stopped), lines are dropped and counted, not buffered.
 *
 * <p>The writer looks for lines every {@value #WRITE_EVERY_MILLIS} ms instead of waiting on the queue:
 * a waiting writer would be woken by every request, a thread switch per request on the event loops'
 * cores for a line nobody reads within milliseconds. The line itself is built by the writer too, and on the command
 * line's console set-up it is written by an {@link AccessLogHandler}: the same line, without a {@code String.format}
 * per request, and one write per batch.
 */
public final class AccessLog implements AutoCloseable {
    static final int QUEUE_LINES = 16_384;
    static final long WRITE_EVERY_MILLIS = 50;
    private static final Logger LOG = Logger.getLogger("switchboard.access");

    private final BlockingQueue<Line> lines = new ArrayBlockingQueue<>(QUEUE_LINES);
    private final SidecarMetrics metrics;
    private final Thread writer;

    public AccessLog(SidecarMetrics metrics) {
        this.metrics = metrics;
        AccessLogHandler.replaceConsole(LOG, AccessLogHandler.consoleFormat());
        this.writer = Thread.ofPlatform().daemon().name("sb-sidecar-access-log").start(this::write);
    }

    public void log(String method, String uri, int status, long bytes, long upstreamNanos, long totalNanos, String traceId,
                    String client, String note) {
        if (!LOG.isLoggable(Level.INFO)) {
            return;
        }
        // The line is built by the writer: an event loop only allocates this record.
        if (!lines.offer(new Line(method, uri, status, bytes, upstreamNanos, totalNanos, traceId, client, note))) {
            metrics.onAccessLogDropped();
        }
    }

    private record Line(String method, String uri, int status, long bytes, long upstreamNanos, long totalNanos, String traceId,
                        String client, String note) {
        String text() {
            StringBuilder b = new StringBuilder(160).append(method).append(' ').append(uri)
                    .append(" status=").append(status)
                    .append(" bytes=").append(bytes)
                    .append(" upstream_ms=");
            if (upstreamNanos < 0) {
                b.append('-');
            } else {
                appendMillis(b, upstreamNanos);
            }
            appendMillis(b.append(" total_ms="), totalNanos);
            b.append(" trace=").append(traceId).append(" client=").append(client);
            if (note != null) {
                b.append(" note=").append(note);
            }
            return b.toString();
        }
    }

    private void write() {
        List<Line> batch = new ArrayList<>();
        try {
            while (true) {
                if (lines.drainTo(batch) == 0) {
                    Thread.sleep(WRITE_EVERY_MILLIS);
                }
                publish(batch);
            }
        } catch (InterruptedException e) {
            lines.drainTo(batch); // what was queued before close still gets written
            publish(batch);
        }
    }

    private static void publish(List<Line> batch) {
        if (batch.isEmpty()) {
            return;
        }
        for (Line line : batch) {
            // The source given: a record without one makes formatters walk the stack to find it.
            LOG.logp(Level.INFO, "switchboard.access", "request", line.text());
        }
        batch.clear();
        for (Handler h : LOG.getHandlers()) {
            h.flush(); // once a batch: an AccessLogHandler writes what it collected in one go
        }
    }

    /** Milliseconds with two decimals, without Formatter (it was a visible share of a request's CPU). */
    private static void appendMillis(StringBuilder b, long nanos) {
        long hundredths = (nanos + 5_000) / 10_000;
        long fraction = hundredths % 100;
        b.append(hundredths / 100).append(fraction < 10 ? ".0" : ".").append(fraction);
    }

    /** Writes what is queued, then stops the writer. */
    @Override
    public void close() throws InterruptedException {
        writer.interrupt();
        writer.join(2_000);
    }
}
