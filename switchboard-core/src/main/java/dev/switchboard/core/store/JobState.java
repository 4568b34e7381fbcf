package dev.switchboard.core.store;

import java.util.Locale;

/** {@code queued → running → succeeded | failed | cancelled}; a failed attempt with attempts left goes back to queued. */
public enum JobState {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

    public boolean terminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }

    /** The wire name: {@code queued}, {@code running}, … */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static JobState fromWire(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }
}
