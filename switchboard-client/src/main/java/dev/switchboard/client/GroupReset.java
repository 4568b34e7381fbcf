package dev.switchboard.client;

import java.time.Instant;

/**
 * Where {@link SwitchboardClient#resetGroup} moves a consumer group: {@link #afterOffset} (deliver what comes after
 * it; 0 redelivers every retained message), {@link #at} (from the first message at or after an instant),
 * {@link #earliest()} or {@link #latest()} (only messages published from now on). A reset drops every lease.
 */
public sealed interface GroupReset {
    record AfterOffset(long offset) implements GroupReset {
        public AfterOffset {
            if (offset < 0) {
                throw new IllegalArgumentException("offset must be >= 0, got " + offset);
            }
        }
    }

    record AtTime(Instant time) implements GroupReset {
        public AtTime {
            if (time == null) {
                throw new IllegalArgumentException("time is required");
            }
        }
    }

    record Earliest() implements GroupReset {}

    record Latest() implements GroupReset {}

    static GroupReset afterOffset(long offset) {
        return new AfterOffset(offset);
    }

    static GroupReset at(Instant time) {
        return new AtTime(time);
    }

    static GroupReset earliest() {
        return new Earliest();
    }

    static GroupReset latest() {
        return new Latest();
    }
}
