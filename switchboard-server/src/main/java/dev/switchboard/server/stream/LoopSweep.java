package dev.switchboard.server.stream;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One periodic task per event loop that visits every connection of that loop registered with it (SSE
 * heartbeats, WebSocket pings), instead of an idle handler and a timer per connection: an idle
 * connection then costs one array slot here and the int its {@link Member} keeps. The task runs only
 * while its loop holds a member. {@link #add}, {@link #remove} and the visits all run on the member's
 * event loop, so the per-loop arrays need no locks.
 */
public final class LoopSweep {
    /** A connection the sweep visits; it keeps its slot, so that removal is O(1). */
    public interface Member {
        int NOT_SWEPT = -1;

        /** Once per period, on the member's event loop; {@code now} is {@link System#nanoTime()}. */
        void sweep(long now);

        /** {@link #sweep} threw: the connection is in a state nobody planned for, so close it. */
        void sweepFailed(RuntimeException e);

        /** Its index in the loop's array, {@link #NOT_SWEPT} when not registered (the sweep's bookkeeping). */
        int sweepSlot();

        void sweepSlot(int slot);
    }

    private final long periodNanos;
    private final Map<EventExecutor, Loop> loops = new ConcurrentHashMap<>();

    public LoopSweep(long periodNanos) {
        this.periodNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(1), periodNanos);
    }

    /** On {@code executor}, the member's event loop; a member already registered stays once. */
    public void add(EventExecutor executor, Member m) {
        loops.computeIfAbsent(executor, Loop::new).add(m);
    }

    /** On {@code executor}, the member's event loop; idempotent. */
    public void remove(EventExecutor executor, Member m) {
        Loop loop = loops.get(executor);
        if (loop != null) {
            loop.remove(m);
        }
    }

    /** Members registered on {@code executor}'s loop (read on that loop). */
    int size(EventExecutor executor) {
        Loop loop = loops.get(executor);
        return loop == null ? 0 : loop.size;
    }

    private final class Loop implements Runnable {
        private final EventExecutor executor;
        private Member[] members = new Member[16];
        private int size;
        private ScheduledFuture<?> task;

        Loop(EventExecutor executor) {
            this.executor = executor;
        }

        void add(Member m) {
            if (m.sweepSlot() != Member.NOT_SWEPT) {
                return;
            }
            if (size == members.length) {
                members = Arrays.copyOf(members, size * 2);
            }
            m.sweepSlot(size);
            members[size++] = m;
            if (task == null) {
                task = executor.scheduleAtFixedRate(this, periodNanos, periodNanos, TimeUnit.NANOSECONDS);
            }
        }

        void remove(Member m) {
            int slot = m.sweepSlot();
            if (slot == Member.NOT_SWEPT || slot >= size || members[slot] != m) {
                return;
            }
            Member last = members[--size];
            members[slot] = last;
            last.sweepSlot(slot);
            members[size] = null;
            m.sweepSlot(Member.NOT_SWEPT);
            if (size == 0 && task != null) {
                task.cancel(false);
                task = null;
            }
        }

        @Override
        public void run() {
            long now = System.nanoTime();
            // From the end: a member that leaves while visited is replaced by one already visited.
            for (int i = size - 1; i >= 0; i--) {
                if (i >= size) {
                    continue; // more than one left during the last visit
                }
                Member m = members[i];
                try {
                    m.sweep(now);
                } catch (RuntimeException e) {
                    m.sweepFailed(e);
                }
            }
        }
    }
}
