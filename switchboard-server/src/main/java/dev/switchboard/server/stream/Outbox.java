package dev.switchboard.server.stream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What the hub's threads hand to one streaming connection, written by its event loop in the order
 * it was offered. One event-loop task drains everything queued so far and hands it to the
 * {@link Writer} as one buffer, to be written with one flush: when the loop runs behind, a
 * subscriber's messages coalesce into one write (one syscall) instead of one task and one write
 * each. At most one drain task is pending per connection.
 *
 * <p>Write coalescing: a connection is flushed at most once per {@link #COALESCE_NANOS}. A drain
 * that comes sooner after the previous one is put off until that interval has passed, and takes
 * everything queued by then. A quiet stream (one message now and then) is thus written at once, and
 * a busy one gets several messages per write: on loopback a small write costs several microseconds
 * of kernel time on each side, far more than the bytes themselves, so at high rates the number of
 * writes, not of messages, bounds fan-out. The delay this adds is at most the interval, and only to
 * a stream that received another message less than an interval ago.
 *
 * <p>The frames are the shared, already encoded bytes of each message (never copied here); the
 * session's {@link OutboundBudget} bounds what may be queued.
 */
public final class Outbox {
    /** Writes a drained buffer (event loop). */
    public interface Writer {
        /** @param reserved the budget bytes to release once written; @param messages how many deliveries */
        void write(ByteBuf frames, long reserved, int messages);
    }

    /**
     * Minimum time between two writes to one connection: 1 ms. At 1,000 messages/s or fewer per
     * subscriber nothing waits; above that, each write carries every message of the last millisecond.
     */
    static final long COALESCE_NANOS = 1_000_000;

    private record Entry(byte[][] frames, long reserved, int messages) {}

    private final EventExecutor loop;
    private final Writer writer;
    // Not Netty's MPSC array queue: it allocates a 1,024-slot chunk up front, 4 KiB on every idle connection.
    private final Queue<Entry> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Runnable drain = this::drain;
    private long lastWrite = System.nanoTime() - COALESCE_NANOS; // event loop only

    public Outbox(EventExecutor loop, Writer writer) {
        this.loop = loop;
        this.writer = writer;
    }

    /**
     * Queues {@code frames} (any thread). False when the event loop has stopped taking tasks; the
     * connection is then gone and nothing queued will be written.
     */
    public boolean offer(byte[][] frames, long reserved, int messages) {
        queue.offer(new Entry(frames, reserved, messages));
        if (scheduled.compareAndSet(false, true)) {
            try {
                loop.execute(drain);
            } catch (RejectedExecutionException e) {
                return false;
            }
        }
        return true;
    }

    private void drain() {
        long wait = lastWrite + COALESCE_NANOS - System.nanoTime();
        if (wait > 0) {
            try {
                loop.schedule(drain, wait, TimeUnit.NANOSECONDS); // still scheduled: offers meanwhile just queue
                return;
            } catch (RejectedExecutionException e) {
                // the loop is shutting down: write now, as the connection is about to go
            }
        }
        scheduled.set(false); // before polling: an offer from now on schedules another drain
        drainNow();
    }

    /** Writes everything queued, now (event loop): before a farewell, so it follows what was delivered. */
    public void drainNow() {
        List<byte[]> frames = new ArrayList<>();
        long reserved = 0;
        int messages = 0;
        for (Entry e; (e = queue.poll()) != null; ) {
            for (byte[] f : e.frames()) {
                frames.add(f);
            }
            reserved += e.reserved();
            messages += e.messages();
        }
        if (!frames.isEmpty()) {
            ByteBuf all = frames.size() == 1 ? Unpooled.wrappedBuffer(frames.getFirst())
                    : Unpooled.wrappedBuffer(frames.toArray(new byte[0][]));
            lastWrite = System.nanoTime();
            writer.write(all, reserved, messages);
        }
    }
}
