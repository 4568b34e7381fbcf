package dev.switchboard.bench.wire;

import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What the subscribers of one run received, shared by all of them: deliveries, publish→delivery
 * latency (payloads carry the publisher's {@link System#nanoTime}, same JVM), offsets skipped (losses),
 * requests sent (polls, subscribes) and subscribers the server closed. {@link #reset} starts the
 * measured window (for everything but the per-delivery costs, which count the whole run).
 */
public final class Deliveries {
    private final LongAdder delivered = new LongAdder();
    private final LongAdder lost = new LongAdder();
    private final LongAdder requests = new LongAdder();
    private final LongAdder deliveredInRun = new LongAdder();
    private final LongAdder closed = new LongAdder();
    private final Recorder latencyNanos = new Recorder(3);

    /** @param sentNanos the payload's send time, or 0 when it carries none (the generator-ceiling frames) */
    void delivered(long sentNanos) {
        delivered.increment();
        deliveredInRun.increment();
        if (sentNanos > 0) {
            latencyNanos.recordValue(Math.max(0, System.nanoTime() - sentNanos));
        }
    }

    void lost(long offsets) {
        lost.add(offsets);
    }

    void requested() {
        requests.increment();
    }

    void connectionClosed() {
        closed.increment();
    }

    public long delivered() {
        return delivered.sum();
    }

    public long lost() {
        return lost.sum();
    }

    /**
     * Requests per delivery over the whole run, warm-up included, never reset: an SSE stream or a
     * WebSocket costs its one request (or subscribe) when it opens, which a window after the warm-up
     * would never see.
     */
    public double requestsPerDelivery() {
        long d = deliveredInRun();
        return d == 0 ? 0 : (double) requests.sum() / d;
    }

    /**
     * Deliveries over the whole run, the denominator of the per-delivery costs. Wire bytes are counted
     * on the event loops and the window is reset from another thread: five short-polling subscribers
     * answered in one burst could land between two resets and give a window their deliveries without
     * their bytes. Over the whole run there is no such edge.
     */
    public long deliveredInRun() {
        return deliveredInRun.sum();
    }

    /** Subscribers whose connection the server (or the network) closed while the bench still subscribed. */
    public long closed() {
        return closed.sum();
    }

    public void reset() {
        delivered.reset();
        lost.reset();
        latencyNanos.getIntervalHistogram();
    }

    /** Latencies in nanoseconds since the last reset (or the last call). */
    public Histogram latencies() {
        return latencyNanos.getIntervalHistogram();
    }
}
