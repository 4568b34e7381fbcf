package dev.switchboard.core.groups;

/** What consumer groups count; the server backs it with Micrometer, tests use {@link #NONE}. */
public interface GroupMetrics {
    GroupMetrics NONE = new GroupMetrics() {};

    /** A fetch or a consumer of this node served the group: its state becomes a gauge. */
    default void served(String topic, String group) {}

    /** Messages handed out; {@code redelivered} of them had been delivered before. */
    default void delivered(int messages, int redelivered) {}

    default void acked(int messages) {}

    default void nacked(int messages) {}

    default void deadLettered(int messages) {}
}
