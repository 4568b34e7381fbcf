package dev.switchboard.sidecar.proxy;

import dev.switchboard.sidecar.PoolSettings;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.HttpClientCodec;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A bounded pool of kept-alive HTTP/1.1 connections to one upstream: {@link #acquire} lends one
 * (an idle one, else a new one while fewer than {@code size} are open, else the caller waits up to
 * {@code acquireTimeout}), {@link #release} takes it back. Idle connections past {@code idleTimeout}
 * and connections past {@code maxLifetime} are closed, never reused.
 *
 * <p>Threads: any event loop may acquire and release; the state is behind one lock held for a few
 * field updates only, never across I/O. Waiters are answered off the lock.
 */
public final class UpstreamPool implements AutoCloseable {
    private final PoolSettings settings;
    private final String host;
    private final int port;
    private final Bootstrap bootstrap;
    private final Object lock = new Object();
    private final ArrayDeque<UpstreamConnection> idle = new ArrayDeque<>(); // most recently used first
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private final Set<UpstreamConnection> all = ConcurrentHashMap.newKeySet();
    private final ScheduledFuture<?> sweeper;
    private final int maxHeaderBytes;
    private int open; // open or opening; guarded by lock
    private boolean closed; // guarded by lock

    private record Waiter(CompletableFuture<UpstreamConnection> future, EventLoop loop) {}

    public UpstreamPool(PoolSettings settings, String host, int port, EventLoopGroup loops, Class<? extends Channel> channelType,
                        int maxHeaderBytes) {
        this.settings = settings;
        this.host = host;
        this.port = port;
        this.bootstrap = new Bootstrap().channel(channelType)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, settings.acquireTimeout().toMillis()));
        long every = Math.max(100, settings.idleTimeout().toMillis() / 4);
        this.sweeper = loops.next().scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
        this.maxHeaderBytes = maxHeaderBytes;
    }

    /**
     * Lends a connection: an idle one on {@code loop}, else a new one on {@code loop} while the pool is
     * below its size, else an idle one on another loop, else the next one released. Fails with an
     * {@link UpstreamException}.
     */
    CompletableFuture<UpstreamConnection> acquire(EventLoop loop) {
        UpstreamConnection found = null;
        boolean connect = false;
        CompletableFuture<UpstreamConnection> wait = null;
        String refusal = null;
        synchronized (lock) {
            if (closed) {
                refusal = "the sidecar is shutting down";
            } else {
                found = takeIdle(loop);
                if (found == null && open < settings.size()) {
                    open++;
                    connect = true;
                } else if (found == null) {
                    found = takeIdleOnAnyLoop();
                }
                boolean none = found == null && !connect;
                if (none && waiters.size() < settings.maxPending()) {
                    wait = new CompletableFuture<>();
                    waiters.add(new Waiter(wait, loop));
                } else if (none) {
                    refusal = "all " + settings.size() + " upstream connections are busy and " + waiters.size()
                            + " requests already wait for one (pool-max-pending)";
                }
            }
        }
        if (found != null) {
            return CompletableFuture.completedFuture(found);
        }
        if (connect) {
            return connect(loop);
        }
        if (refusal != null) {
            return CompletableFuture.failedFuture(new UpstreamException(UpstreamException.Kind.BUSY, refusal));
        }
        CompletableFuture<UpstreamConnection> w = wait;
        ScheduledFuture<?> timer = loop.schedule(() -> {
            boolean removed;
            synchronized (lock) {
                removed = waiters.removeIf(x -> x.future() == w);
            }
            if (removed) {
                w.completeExceptionally(new UpstreamException(UpstreamException.Kind.BUSY, "no upstream connection came free in "
                        + settings.acquireTimeout().toMillis() + "ms (pool-size " + settings.size() + ", pending " + pending() + ")"));
            }
        }, settings.acquireTimeout().toMillis(), TimeUnit.MILLISECONDS);
        w.whenComplete((c, e) -> timer.cancel(false));
        return w;
    }

    /** Takes {@code c} back: idle for the next exchange when {@code reusable}, else closed. */
    void release(UpstreamConnection c, boolean reusable) {
        c.attach(null);
        c.channel().config().setAutoRead(true);
        boolean keep = reusable && c.channel().isActive()
                && System.nanoTime() - c.openedNanos() < settings.maxLifetime().toNanos();
        if (!keep) {
            c.channel().close(); // closed() then frees its slot
            return;
        }
        Waiter next;
        synchronized (lock) {
            if (closed) {
                next = null;
                keep = false;
            } else {
                next = waiters.poll();
                if (next == null) {
                    c.idleSince(System.nanoTime());
                    idle.addFirst(c);
                }
            }
        }
        if (!keep) {
            c.channel().close();
        } else if (next != null) {
            hand(next, c);
        }
    }

    /** The connection closed (idle, lent or opening): frees its slot and opens one for a waiter. */
    void closed(UpstreamConnection c) {
        if (!all.remove(c)) {
            return;
        }
        Waiter next = null;
        synchronized (lock) {
            idle.remove(c);
            open--;
            if (!closed && !waiters.isEmpty() && open < settings.size()) {
                next = waiters.poll();
                open++;
            }
        }
        if (next != null) {
            Waiter w = next;
            connect(w.loop()).whenComplete((conn, e) -> {
                if (e != null) {
                    w.future().completeExceptionally(e);
                } else if (!w.future().complete(conn)) {
                    release(conn, true);
                }
            });
        }
    }

    public int active() {
        synchronized (lock) {
            return open - idle.size();
        }
    }

    public int idle() {
        synchronized (lock) {
            return idle.size();
        }
    }

    public int pending() {
        synchronized (lock) {
            return waiters.size();
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            idle.clear();
        }
        sweeper.cancel(false);
        for (UpstreamConnection c : all) {
            c.channel().close();
        }
        Waiter w;
        while ((w = pollWaiter()) != null) {
            w.future().completeExceptionally(new UpstreamException(UpstreamException.Kind.BUSY, "the sidecar is shutting down"));
        }
    }

    private Waiter pollWaiter() {
        synchronized (lock) {
            return waiters.poll();
        }
    }

    private void hand(Waiter w, UpstreamConnection c) {
        synchronized (lock) {
            c.leased();
        }
        if (!w.future().complete(c)) {
            release(c, true); // the waiter timed out meanwhile
        }
    }

    /**
     * An idle connection on the client's own event loop: the exchange then runs on one thread, with no
     * hand-off per chunk. Below the pool's size, a new connection on that loop is preferred to an idle
     * one on another loop (see {@link #acquire}), so each loop soon has its own.
     */
    private UpstreamConnection takeIdle(EventLoop loop) {
        for (Iterator<UpstreamConnection> it = idle.iterator(); it.hasNext(); ) {
            UpstreamConnection c = it.next();
            if (c.channel().eventLoop() == loop) {
                it.remove();
                c.leased();
                return c;
            }
        }
        return null;
    }

    private UpstreamConnection takeIdleOnAnyLoop() {
        UpstreamConnection c = idle.poll();
        if (c != null) {
            c.leased();
        }
        return c;
    }

    private CompletableFuture<UpstreamConnection> connect(EventLoop loop) {
        CompletableFuture<UpstreamConnection> result = new CompletableFuture<>();
        UpstreamConnection[] made = new UpstreamConnection[1];
        var future = bootstrap.clone(loop).handler(new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                UpstreamConnection c = new UpstreamConnection(ch);
                all.add(c);
                made[0] = c;
                ch.pipeline().addLast("http", new HttpClientCodec(4096, maxHeaderBytes, 64 * 1024))
                        .addLast("upstream", new UpstreamHandler(UpstreamPool.this, c));
            }
        }).connect(host, port);
        future.addListener(f -> {
            UpstreamConnection c = made[0];
            if (f.isSuccess()) {
                synchronized (lock) {
                    c.leased();
                }
                result.complete(c);
                return;
            }
            if (c != null) {
                closed(c);
            } else {
                synchronized (lock) {
                    open--; // never registered: no channelInactive will come
                }
            }
            result.completeExceptionally(new UpstreamException(UpstreamException.Kind.DOWN, "cannot connect to the upstream "
                    + host + ":" + port + ": " + describe(f.cause())));
        });
        return result;
    }

    private void sweep() {
        long now = System.nanoTime();
        long idleLimit = settings.idleTimeout().toNanos();
        long lifeLimit = settings.maxLifetime().toNanos();
        java.util.List<UpstreamConnection> expired = new java.util.ArrayList<>();
        synchronized (lock) {
            for (Iterator<UpstreamConnection> it = idle.iterator(); it.hasNext(); ) {
                UpstreamConnection c = it.next();
                if (now - c.idleSinceNanos() > idleLimit || now - c.openedNanos() > lifeLimit) {
                    it.remove();
                    expired.add(c);
                }
            }
        }
        expired.forEach(c -> c.channel().close());
    }

    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String m = root.getMessage();
        return m == null ? root.getClass().getSimpleName() : m;
    }
}
