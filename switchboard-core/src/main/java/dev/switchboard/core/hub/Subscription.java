package dev.switchboard.core.hub;

/**
 * One session's interest in one topic, with its cursor: the last offset handed to the session. The
 * hub moves the cursor; transports read it to tell clients where to resume.
 */
public final class Subscription {
    private final String topic;
    private final Session session;
    private final long start;
    private volatile long cursor;
    // True while this subscriber reads from the store instead of the ring; live delivery skips it.
    volatile boolean catchingUp;
    volatile boolean cancelled;

    Subscription(String topic, Session session, long cursor) {
        this.topic = topic;
        this.session = session;
        this.start = cursor;
        this.cursor = cursor;
    }

    public String topic() {
        return topic;
    }

    public Session session() {
        return session;
    }

    /** The resolved start position: delivery begins after this offset (what WebSocket reports as {@code next}). */
    public long start() {
        return start;
    }

    /** The offset of the last message delivered (or the start position when none was). */
    public long cursor() {
        return cursor;
    }

    void advanceTo(long offset) {
        cursor = offset;
    }

    public boolean isCancelled() {
        return cancelled;
    }
}
