package dev.switchboard.core.hub;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who waits for new messages on which topic. The hub calls {@link #appended} for every commit (on
 * the store's thread, so it only flips latches); waiters register before they look at the store.
 */
public final class TopicSignals {
    private final Map<String, Set<Wakeup>> waiters = new ConcurrentHashMap<>();

    public void register(String topic, Wakeup w) {
        waiters.computeIfAbsent(topic, t -> ConcurrentHashMap.newKeySet()).add(w);
    }

    public void unregister(String topic, Wakeup w) {
        waiters.computeIfPresent(topic, (t, set) -> {
            set.remove(w);
            return set.isEmpty() ? null : set;
        });
    }

    /**
     * Wakes one waiter of {@code key}: for queues, where one new item is for one taker and waking them all
     * would have every one of them look at the store for it. The taker that gets the item wakes the next.
     */
    public void wakeOne(String key) {
        Set<Wakeup> set = waiters.get(key);
        if (set != null) {
            for (Wakeup w : set) {
                w.wake();
                return;
            }
        }
    }

    public void appended(String topic) {
        Set<Wakeup> set = waiters.get(topic);
        if (set != null) {
            set.forEach(Wakeup::wake);
        }
    }
}
