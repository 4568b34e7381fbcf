package dev.switchboard.bench.wire;

import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What the subscribers of one run received, shared by all of them: deliveries, publish→delivery
 * latency (payloads carry the publisher's {@link System#nanoTime}, same JVM), offsets skipped (losses),
 * requests sent (polls, subscribes) and subscribers the server closed. {@link #reset} starts the measured window.
 */
public final class Deliveries {
    private final LongAdder delivered = new LongAdder();
    private final LongAdder lost = new LongAdder();
    private final LongAdder requests = new LongAdder();
    private final LongAdder closed = new LongAdder();
    private final Recorder latencyNanos = new Recorder(3);

    /** @param sentNanos the payload's send time, or 0 when it carries none (the generator-ceiling frames) */
    void delivered(long sentNanos) {
        delivered.increment();
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

    public long requests() {
        return requests.sum();
    }

    /** Subscribers whose connection the server (or the network) closed while the bench still subscribed. */
    public long closed() {
        return closed.sum();
    }

    public void reset() {
        delivered.reset();
        lost.reset();
        requests.reset();
        latencyNanos.getIntervalHistogram();
    }

    /** Latencies in nanoseconds since the last reset (or the last call). */
    public Histogram latencies() {
        return latencyNanos.getIntervalHistogram();
    }
}
