package dev.switchboard.core.groups;

/** Where a group reset moves the group: after an offset, to the first message at a time, or to an end. */
public sealed interface ResetTarget {
    /** The next message delivered is the first retained one after {@code offset}. */
    record AfterOffset(long offset) implements ResetTarget {}

    /** The next message delivered is the first one stored at or after {@code timeMillis}. */
    record AtTime(long timeMillis) implements ResetTarget {}

    /** Every retained message is delivered again. */
    record Earliest() implements ResetTarget {}

    /** Only messages published from now on are delivered. */
    record Latest() implements ResetTarget {}
}
