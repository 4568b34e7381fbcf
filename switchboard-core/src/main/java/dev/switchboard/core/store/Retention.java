package dev.switchboard.core.store;

import java.time.Duration;

/** How much of a topic to keep: at most {@code maxMessages} (0 = no limit) no older than {@code maxAge} (zero = no limit). */
public record Retention(long maxMessages, Duration maxAge) {
    public static final Retention FOREVER = new Retention(0, Duration.ZERO);

    public Retention {
        if (maxMessages < 0) {
            throw new IllegalArgumentException("maxMessages must be >= 0, was " + maxMessages);
        }
        if (maxAge == null || maxAge.isNegative()) {
            throw new IllegalArgumentException("maxAge must be zero or positive, was " + maxAge);
        }
    }
}
