package dev.switchboard.bench.wire;

/**
 * One subscriber's position: the last offset it received. An offset beyond {@code last + 1} means the
 * messages between were lost (offsets are gap-free on the server). Touched by its channel's event loop
 * only; {@link #last} is read by the windowed publisher from another thread, hence volatile.
 */
public final class Cursor {
    private final Deliveries deliveries;
    private volatile long last;
    private volatile long firstDeliveryNanos;

    Cursor(Deliveries deliveries, long after) {
        this.deliveries = deliveries;
        this.last = after;
    }

    void received(long offset, long sentNanos) {
        long prev = last;
        if (offset <= prev) {
            return; // a duplicate after a resume; not a delivery
        }
        if (prev > 0 && offset > prev + 1) {
            deliveries.lost(offset - prev - 1);
        }
        if (firstDeliveryNanos == 0) {
            firstDeliveryNanos = System.nanoTime();
        }
        last = offset;
        deliveries.delivered(sentNanos);
    }

    public long last() {
        return last;
    }

    /** {@link System#nanoTime} of the first delivery, 0 before it. */
    public long firstDeliveryNanos() {
        return firstDeliveryNanos;
    }
}
