package dev.switchboard.sidecar.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
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
 * cores for a line nobody reads within milliseconds.
 */
public final class AccessLog implements AutoCloseable {
    static final int QUEUE_LINES = 16_384;
    static final long WRITE_EVERY_MILLIS = 50;
    private static final Logger LOG = Logger.getLogger("switchboard.access");

    private final BlockingQueue<String> lines = new ArrayBlockingQueue<>(QUEUE_LINES);
    private final SidecarMetrics metrics;
    private final Thread writer;

    public AccessLog(SidecarMetrics metrics) {
        this.metrics = metrics;
        this.writer = Thread.ofPlatform().daemon().name("sb-sidecar-access-log").start(this::write);
    }

    public void log(String method, String uri, int status, long bytes, long upstreamNanos, long totalNanos, String traceId,
                    String client, String note) {
        if (!LOG.isLoggable(Level.INFO)) {
            return;
        }
        StringBuilder b = new StringBuilder(160).append(method).append(' ').append(uri)
                .append(" status=").append(status)
                .append(" bytes=").append(bytes)
                .append(" upstream_ms=").append(upstreamNanos < 0 ? "-" : millis(upstreamNanos))
                .append(" total_ms=").append(millis(totalNanos))
                .append(" trace=").append(traceId)
                .append(" client=").append(client);
        if (note != null) {
            b.append(" note=").append(note);
        }
        if (!lines.offer(b.toString())) {
            metrics.onAccessLogDropped();
        }
    }

    private void write() {
        List<String> batch = new ArrayList<>();
        try {
            while (true) {
                if (lines.drainTo(batch) == 0) {
                    Thread.sleep(WRITE_EVERY_MILLIS);
                }
                batch.forEach(AccessLog::publish);
                batch.clear();
            }
        } catch (InterruptedException e) {
            lines.drainTo(batch); // what was queued before close still gets written
            batch.forEach(AccessLog::publish);
        }
    }

    private static void publish(String line) {
        // The source given: a record without one makes formatters walk the stack to find it.
        LOG.logp(Level.INFO, "switchboard.access", "request", line);
    }

    /** Milliseconds with two decimals, without Formatter (it was a visible share of a request's CPU). */
    private static String millis(long nanos) {
        long hundredths = (nanos + 5_000) / 10_000;
        long fraction = hundredths % 100;
        return (hundredths / 100) + (fraction < 10 ? ".0" : ".") + fraction;
    }

    /** Writes what is queued, then stops the writer. */
    @Override
    public void close() throws InterruptedException {
        writer.interrupt();
        writer.join(2_000);
    }
}
