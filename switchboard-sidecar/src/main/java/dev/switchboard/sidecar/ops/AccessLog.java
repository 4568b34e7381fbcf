package dev.switchboard.sidecar.ops;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One line per request on the {@code switchboard.access} logger, in a key=value form that greps and
 * parses: {@code GET /path status=200 bytes=5120 upstream_ms=1.84 total_ms=2.10 trace=… client=…}.
 * {@code upstream_ms} runs from sending the request to the response head ({@code -} without one);
 * {@code bytes} counts response body bytes sent to the client.
 */
public final class AccessLog {
    private static final Logger LOG = Logger.getLogger("switchboard.access");

    private AccessLog() {}

    public static void log(String method, String uri, int status, long bytes, long upstreamNanos, long totalNanos, String traceId,
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
        // The source given: a record without one makes formatters walk the stack to find it, on every request.
        LOG.logp(Level.INFO, "switchboard.access", "request", b.toString());
    }

    /** Milliseconds with two decimals, without Formatter (it was a visible share of a request's CPU). */
    private static String millis(long nanos) {
        long hundredths = (nanos + 5_000) / 10_000;
        long fraction = hundredths % 100;
        return (hundredths / 100) + (fraction < 10 ? ".0" : ".") + fraction;
    }
}
