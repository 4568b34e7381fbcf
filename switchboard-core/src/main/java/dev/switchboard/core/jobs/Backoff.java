package dev.switchboard.core.jobs;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Retry delays: {@code base × 2^(attempt-1)}, capped, with "equal jitter" (a random point in the upper
 * half), so that jobs that failed together do not retry together yet each waits at least half its step.
 */
record Backoff(Duration base, Duration cap) {
    long delayMillis(int attempt) {
        long step = base.toMillis() << Math.min(30, Math.max(0, attempt - 1));
        long capped = Math.min(step < 0 ? Long.MAX_VALUE : step, cap.toMillis());
        return capped / 2 + (capped < 2 ? 0 : ThreadLocalRandom.current().nextLong(capped - capped / 2 + 1));
    }
}
