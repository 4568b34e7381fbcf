package dev.switchboard.core.hub;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A latch that remembers one wake-up: a fetch or consumer waits on it for new messages, acks or a
 * deadline. A wake-up that comes while nobody waits is kept, so none is lost between a look at the
 * store and the wait that follows it.
 */
public final class Wakeup {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private boolean woken;

    public void wake() {
        lock.lock();
        try {
            woken = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until woken or until {@code deadlineMillis} (wall clock); clears the wake-up. */
    public void await(long deadlineMillis) throws InterruptedException {
        lock.lock();
        try {
            long left;
            while (!woken && (left = deadlineMillis - System.currentTimeMillis()) > 0) {
                changed.await(left, TimeUnit.MILLISECONDS);
            }
            woken = false;
        } finally {
            lock.unlock();
        }
    }
}
