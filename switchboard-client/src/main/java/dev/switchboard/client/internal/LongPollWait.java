package dev.switchboard.client.internal;

import dev.switchboard.client.SwitchboardClientException;
import java.time.Duration;

/**
 * The wait a loop asks each long poll for: {@code preferred} at first, halved (down to 100 ms) each time the server
 * refuses it with {@code wait-too-long} (its {@code max-wait} is lower), so a loop adapts to a server configured
 * below the SDK's defaults instead of failing. One per loop; not thread-safe. Not API.
 */
public final class LongPollWait {
    private static final long FLOOR_MILLIS = 100;
    private long millis;

    public LongPollWait(Duration preferred) {
        this.millis = preferred.toMillis();
    }

    public Duration get() {
        return Duration.ofMillis(millis);
    }

    /** Whether {@code refusal} says the wait was too long, having shortened it for the next try. */
    public boolean shortenedFor(SwitchboardClientException refusal) {
        if (!"wait-too-long".equals(refusal.code()) || millis <= FLOOR_MILLIS) {
            return false;
        }
        millis = Math.max(FLOOR_MILLIS, millis / 2);
        return true;
    }
}
