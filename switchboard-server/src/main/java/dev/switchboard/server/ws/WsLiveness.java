package dev.switchboard.server.ws;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Pings and dead-peer checks for every WebSocket of one server: one periodic task per event loop walks
 * that loop's sockets (an intrusive list through {@link WebSocketHandler}), instead of a read-idle
 * handler and a timer per connection. The task runs every quarter of ws-ping and only while the loop
 * holds a socket, so a ping goes out between 1 and 1.25 × ws-ping after the last byte read.
 */
final class WsLiveness {
    private final long pingNanos;
    private final long tickNanos;
    private final Map<EventExecutor, Loop> loops = new ConcurrentHashMap<>();

    WsLiveness(long pingMillis) {
        this.pingNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(1, pingMillis));
        this.tickNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(1), pingNanos / 4);
    }

    long pingNanos() {
        return pingNanos;
    }

    /** Event loop of {@code h}. */
    void add(EventExecutor executor, WebSocketHandler h) {
        loops.computeIfAbsent(executor, Loop::new).add(h);
    }

    /** Event loop of {@code h}; idempotent. */
    void remove(EventExecutor executor, WebSocketHandler h) {
        Loop loop = loops.get(executor);
        if (loop != null) {
            loop.remove(h);
        }
    }

    private final class Loop implements Runnable {
        private final EventExecutor executor;
        private WebSocketHandler head; // event loop only
        private ScheduledFuture<?> task;

        Loop(EventExecutor executor) {
            this.executor = executor;
        }

        void add(WebSocketHandler h) {
            if (h.linked) {
                return;
            }
            h.linked = true;
            h.prev = null;
            h.next = head;
            if (head != null) {
                head.prev = h;
            }
            head = h;
            if (task == null) {
                task = executor.scheduleAtFixedRate(this, tickNanos, tickNanos, TimeUnit.NANOSECONDS);
            }
        }

        void remove(WebSocketHandler h) {
            if (!h.linked) {
                return;
            }
            h.linked = false;
            if (h.prev != null) {
                h.prev.next = h.next;
            } else {
                head = h.next;
            }
            if (h.next != null) {
                h.next.prev = h.prev;
            }
            h.prev = null;
            h.next = null;
            if (head == null && task != null) {
                task.cancel(false);
                task = null;
            }
        }

        @Override
        public void run() {
            long now = System.nanoTime();
            WebSocketHandler h = head;
            while (h != null) {
                WebSocketHandler next = h.next; // h may leave the list while it is checked
                try {
                    h.checkLiveness(now, pingNanos);
                } catch (RuntimeException e) {
                    h.failLiveness(e);
                }
                h = next;
            }
        }
    }
}
