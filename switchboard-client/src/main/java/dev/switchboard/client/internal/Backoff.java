package dev.switchboard.client.internal;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter: the n-th retry waits between half and all of {@code min * 2^n} (capped at
 * {@code max}), so clients dropped together by one restart do not all come back in the same millisecond.
 */
public record Backoff(Duration min, Duration max) {
    public Duration delay(int failures) {
        long ceiling = Math.min(max.toMillis(), min.toMillis() << Math.min(failures, 20));
        long floor = Math.max(1, ceiling / 2);
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(floor, ceiling + 1));
    }
}
