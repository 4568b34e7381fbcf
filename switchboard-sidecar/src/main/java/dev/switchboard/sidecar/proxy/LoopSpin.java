package dev.switchboard.sidecar.proxy;

import io.netty.channel.SelectStrategy;
import java.util.function.IntSupplier;

/**
 * How an event loop waits for I/O: while one of its exchanges waits for a response head, from an upstream
 * that usually answers within twice {@code spinNanos}, the loop polls for it (non-blocking {@code epoll_wait})
 * for up to {@code spinNanos} before it blocks. Blocking costs two context switches per wait, one to sleep and one to wake,
 * and on a virtual machine a switch costs tens of microseconds of CPU and the wake-up latency on top
 * (docs/sidecar.md, the ninth measurement). An upstream that usually takes over twice the spin, or no
 * upstream request outstanding, means the loop blocks at once, as Netty's default strategy does: a slow app
 * costs no CPU for polling.
 *
 * <p>One per loop, used by its thread only. Its exchanges report to it through {@link #awaitingUpstream}
 * and {@link #upstreamAnswered}, which find it by thread.
 */
public final class LoopSpin implements SelectStrategy {
    private static final ThreadLocal<LoopSpin> OF_THIS_LOOP = new ThreadLocal<>();

    private final long spinNanos;
    private final IntSupplier pendingTasks;
    private boolean bound;
    private int awaiting; // exchanges of this loop that sent a request and have no response head yet
    private long typicalNanos; // a moving average of the upstream's time to a response head

    /** @param pendingTasks the loop's queued tasks: one submitted by another thread ends a spin (it would not wake us) */
    public LoopSpin(long spinNanos, IntSupplier pendingTasks) {
        this.spinNanos = spinNanos;
        this.pendingTasks = pendingTasks;
    }

    /** An exchange on this thread's loop sent its request ({@code +1}) or stopped waiting for its head ({@code -1}). */
    static void awaitingUpstream(int delta) {
        LoopSpin spin = OF_THIS_LOOP.get();
        if (spin != null) {
            spin.awaiting += delta;
        }
    }

    /** The upstream sent a response head {@code nanos} after its request, to an exchange on this thread's loop. */
    static void upstreamAnswered(long nanos) {
        LoopSpin spin = OF_THIS_LOOP.get();
        if (spin != null) {
            spin.typicalNanos += (nanos - spin.typicalNanos) >> 3; // weight 1/8: about the last dozen answers
        }
    }

    @Override
    public int calculateStrategy(io.netty.util.IntSupplier selectNow, boolean hasTasks) throws Exception {
        if (!bound) {
            bound = true; // the first call runs on the loop's thread, which the exchanges share
            OF_THIS_LOOP.set(this);
        }
        if (hasTasks) {
            return selectNow.get(); // Netty's default: tasks are waiting, so only look, never block
        }
        // Twice the spin: what the app usually answers in includes our own wake-up while we slept, which the spin removes.
        if (awaiting <= 0 || typicalNanos > 2 * spinNanos) {
            return SelectStrategy.SELECT;
        }
        long deadline = System.nanoTime() + spinNanos;
        do {
            int ready = selectNow.get();
            if (ready > 0) {
                return ready;
            }
            if (pendingTasks.getAsInt() > 0) {
                return 0; // run them: they are what another loop handed over, perhaps our response
            }
            Thread.onSpinWait();
        } while (System.nanoTime() < deadline);
        return SelectStrategy.SELECT;
    }
}
