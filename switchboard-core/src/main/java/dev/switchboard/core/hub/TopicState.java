package dev.switchboard.core.hub;

import dev.switchboard.core.error.CloseReason;
import dev.switchboard.core.message.Message;
import dev.switchboard.core.store.LogStore;
import dev.switchboard.core.store.TopicHead;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One topic's live side: its ring of recent messages, its subscribers, and the fan-out that moves
 * each subscriber's cursor forward. Fan-out runs as one serial "drain" per topic on the fan-out
 * executor, never on the store's writer thread nor on an event loop. A subscriber whose cursor is
 * behind the ring catches up from the store on the blocking executor and then rejoins the drain.
 */
final class TopicState {
    private static final Logger LOG = Logger.getLogger(TopicState.class.getName());
    private static final int CATCH_UP_PAGE = 512;

    final String name;
    final CompletableFuture<TopicState> ready = new CompletableFuture<>();
    private final LogStore store;
    private final Executor fanOut;
    private final Executor blocking;
    private final Ring ring;
    private final List<Subscription> subscribers = new CopyOnWriteArrayList<>();
    private final AtomicInteger drainRequests = new AtomicInteger();
    private long last;
    private volatile long usedAtMillis = System.currentTimeMillis();
    private boolean retired; // guarded by this: out of the hub's map, takes no subscriber any more

    TopicState(String name, int ringSize, LogStore store, Executor fanOut, Executor blocking) {
        this.name = name;
        this.store = store;
        this.fanOut = fanOut;
        this.blocking = blocking;
        this.ring = new Ring(ringSize);
    }

    /** Reads the head from the store; messages the listener delivered meanwhile are kept. */
    void load() {
        TopicHead head = store.head(name);
        synchronized (this) {
            if (head.last() > last) {
                last = head.last();
                ring.resetTo(last + 1);
            }
        }
        ready.complete(this);
    }

    /** Called by the store's listener, in offset order. */
    void appended(List<Message> messages) {
        synchronized (this) {
            for (Message m : messages) {
                ring.add(m);
            }
            last = Math.max(last, ring.last());
        }
        requestDrain();
    }

    /** Retention removed everything before {@code first}; the ring must not serve it any longer. */
    synchronized void retainFrom(long first) {
        ring.dropBefore(first);
    }

    synchronized long last() {
        return last;
    }

    /** Messages after {@code after} from memory, or null when the ring no longer holds them all. */
    synchronized List<Message> fromRing(long after, int limit) {
        return ring.covers(after) ? ring.after(after, limit) : null;
    }

    /** Null when this state was retired meanwhile: the caller looks the topic up again. */
    Subscription subscribe(Session session, long after) {
        Subscription sub = new Subscription(name, session, after);
        synchronized (this) {
            if (retired) {
                return null;
            }
            subscribers.add(sub);
        }
        requestDrain();
        return sub;
    }

    synchronized boolean isRetired() {
        return retired;
    }

    /** A read, poll or subscribe is using this state: it is not idle. */
    void touch() {
        usedAtMillis = System.currentTimeMillis();
    }

    /**
     * Retires this state when nobody subscribes (long polls included) and nothing used it since
     * {@code idleSinceMillis}: its ring is memory the topic no longer earns. Answers whether it did; a
     * retired state takes no subscriber, so whoever still holds it looks the topic up again.
     */
    synchronized boolean retireIfIdle(long idleSinceMillis) {
        if (!retired && ready.isDone() && subscribers.isEmpty() && usedAtMillis < idleSinceMillis) {
            retired = true;
        }
        return retired;
    }

    void unsubscribe(Subscription sub) {
        sub.cancelled = true;
        subscribers.remove(sub);
        touch(); // idle from now on, not from when it was last looked up
    }

    Map<String, Integer> subscribersByTransport() {
        Map<String, Integer> counts = new HashMap<>();
        for (Subscription s : subscribers) {
            counts.merge(s.session().transport(), 1, Integer::sum);
        }
        return counts;
    }

    List<Subscription> subscribers() {
        return new ArrayList<>(subscribers);
    }

    void requestDrain() {
        if (drainRequests.getAndIncrement() == 0) {
            fanOut.execute(this::drainLoop);
        }
    }

    private void drainLoop() {
        int missed = 1;
        do {
            try {
                drainOnce();
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "fan-out of topic '" + name + "' failed", e);
            }
            missed = drainRequests.addAndGet(-missed);
        } while (missed != 0);
    }

    /** Hands every live subscriber the messages past its cursor; one window is shared by all. */
    private void drainOnce() {
        long min = Long.MAX_VALUE;
        for (Subscription s : subscribers) {
            if (!s.catchingUp) {
                min = Math.min(min, s.cursor());
            }
        }
        if (min == Long.MAX_VALUE) {
            return;
        }
        List<Message> window;
        long ringFirst;
        long newest;
        synchronized (this) {
            ringFirst = ring.first();
            newest = last;
            window = ring.after(Math.max(min, ringFirst - 1), Integer.MAX_VALUE);
        }
        for (Subscription s : subscribers) {
            if (s.catchingUp) {
                continue;
            }
            long cursor = s.cursor(); // read after the flag, so a catch-up that just ended is seen complete
            if (cursor >= newest) {
                continue;
            }
            if (cursor < ringFirst - 1 || window.isEmpty()) {
                startCatchUp(s);
                continue;
            }
            long windowFirst = window.getFirst().offset();
            if (cursor + 1 < windowFirst) {
                continue; // joined after the window was cut (new, or back from catch-up): its own drain request serves it
            }
            List<Message> batch = window.subList((int) (cursor + 1 - windowFirst), window.size());
            if (!batch.isEmpty()) {
                s.advanceTo(batch.getLast().offset());
                s.session().deliver(s, batch);
            }
        }
    }

    private void startCatchUp(Subscription s) {
        s.catchingUp = true;
        blocking.execute(() -> catchUp(s));
    }

    /** Pages from the store, each after the session drained the previous one, until the ring covers the cursor. */
    private void catchUp(Subscription s) {
        try {
            while (!s.cancelled && s.session().isOpen()) {
                s.session().writable().toCompletableFuture().join();
                long cursor = s.cursor();
                List<Message> page = store.read(name, cursor, CATCH_UP_PAGE);
                if (!page.isEmpty()) {
                    if (page.getFirst().offset() > cursor + 1) {
                        s.session().skipped(s, cursor, page.getFirst().offset());
                    }
                    s.advanceTo(page.getLast().offset());
                    s.session().deliver(s, page);
                }
                long gapEnd = 0;
                synchronized (this) {
                    if (!ring.covers(s.cursor()) && s.cursor() < last && page.isEmpty()) {
                        // Retention removed everything between the cursor and the ring.
                        gapEnd = ring.first();
                    } else if (!ring.covers(s.cursor()) && s.cursor() < last) {
                        continue;
                    }
                }
                if (gapEnd > 0) {
                    s.session().skipped(s, s.cursor(), gapEnd);
                    s.advanceTo(gapEnd - 1);
                }
                s.catchingUp = false;
                break;
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "catch-up of a subscriber of '" + name + "' failed; closing it", e);
            s.catchingUp = false;
            s.session().close(CloseReason.STORE_UNAVAILABLE);
            return;
        }
        requestDrain();
    }
}
