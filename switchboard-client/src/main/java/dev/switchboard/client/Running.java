package dev.switchboard.client;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The loops of one kind (subscriptions, consumers, watches, workers) a client started that have not ended: listed
 * on demand, closed with the client. A loop removes itself when it ends. Thread-safe.
 */
final class Running<T> {
    private final Set<T> open = ConcurrentHashMap.newKeySet();
    private final Consumer<T> close;

    Running(Consumer<T> close) {
        this.close = close;
    }

    void add(T loop) {
        open.add(loop);
    }

    void remove(T loop) {
        open.remove(loop);
    }

    List<T> list() {
        return List.copyOf(open);
    }

    void closeAll() {
        list().forEach(close);
    }
}
