package dev.switchboard.core.store;

/**
 * The retained range of a topic: offsets {@code first..last}. {@code last} is the highest offset ever
 * assigned (0 when nothing was ever published); {@code first} is the oldest retained offset, or
 * {@code last + 1} when retention removed everything. Offsets are never reused.
 */
public record TopicHead(String topic, long first, long last) {
    public static TopicHead empty(String topic) {
        return new TopicHead(topic, 1, 0);
    }

    public long count() {
        return Math.max(0, last - first + 1);
    }

    public boolean everPublished() {
        return last > 0;
    }
}
