package dev.switchboard.bench;

import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What a run counts, shared by every client thread: messages published and acknowledged, and the
 * publish→delivery latency of each delivery. {@link #reset} starts the measured window after warm-up.
 */
final class Stats {
    final LongAdder published = new LongAdder();
    final LongAdder delivered = new LongAdder();
    final LongAdder acked = new LongAdder();
    final LongAdder redelivered = new LongAdder();
    final LongAdder requests = new LongAdder();
    private final Recorder latency = new Recorder(3);
    private final Recorder roundTrips = new Recorder(3);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    /** A client failed: the run stops and reports it instead of a figure. */
    void failed(Throwable t) {
        failure.compareAndSet(null, t);
    }

    Throwable failure() {
        return failure.get();
    }

    /** @param sentNanos when the publisher sent the message ({@link System#nanoTime}, same JVM) */
    void delivered(long sentNanos, int attempt) {
        delivered.increment();
        if (attempt > 1) {
            redelivered.increment();
        }
        latency.recordValue(Math.max(0, (System.nanoTime() - sentNanos) / 1_000));
    }

    /** A publish of {@code messages} was acknowledged {@code roundTripNanos} after it was sent. */
    void published(int messages, long roundTripNanos) {
        published.add(messages);
        roundTrips.recordValue(Math.max(0, roundTripNanos / 1_000));
    }

    void reset() {
        published.reset();
        delivered.reset();
        acked.reset();
        redelivered.reset();
        requests.reset();
        latency.getIntervalHistogram();
        roundTrips.getIntervalHistogram();
    }

    /** Latencies in microseconds since the last reset. */
    Histogram latencies() {
        return latency.getIntervalHistogram();
    }

    /** Publish round trips in microseconds since the last reset. */
    Histogram roundTrips() {
        return roundTrips.getIntervalHistogram();
    }
}
