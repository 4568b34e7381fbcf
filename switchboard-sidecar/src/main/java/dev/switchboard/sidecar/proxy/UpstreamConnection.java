package dev.switchboard.sidecar.proxy;

import io.netty.channel.Channel;

/**
 * One kept-alive HTTP/1.1 connection to the upstream, lent by the {@link UpstreamPool} to one exchange
 * at a time. What the connection reads goes to the exchange that holds it ({@link #attach}).
 */
final class UpstreamConnection {
    private final Channel channel;
    private final long openedNanos;
    private volatile UpstreamListener listener;
    private long idleSinceNanos; // guarded by the pool's lock
    private int uses; // guarded by the pool's lock

    UpstreamConnection(Channel channel) {
        this.channel = channel;
        this.openedNanos = System.nanoTime();
    }

    Channel channel() {
        return channel;
    }

    long openedNanos() {
        return openedNanos;
    }

    long idleSinceNanos() {
        return idleSinceNanos;
    }

    void idleSince(long nanos) {
        idleSinceNanos = nanos;
    }

    /** Counts one more lease; true when the connection served a request before (it may have gone stale). */
    boolean leased() {
        return uses++ > 0;
    }

    int uses() {
        return uses;
    }

    void attach(UpstreamListener l) {
        listener = l;
    }

    UpstreamListener listener() {
        return listener;
    }
}
