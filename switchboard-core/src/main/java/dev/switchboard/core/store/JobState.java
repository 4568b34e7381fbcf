package dev.switchboard.core.store;

import java.util.Locale;

/** {@code queued → running → succeeded | failed | cancelled}; a failed attempt with attempts left goes back to queued. */
public enum JobState {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

    // Every job event and status answer writes it, and every row read parses it: computed once.
    private final String wire = name().toLowerCase(Locale.ROOT);

    public boolean terminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }

    /** The wire name: {@code queued}, {@code running}, … */
    public String wire() {
        return wire;
    }

    public static JobState fromWire(String s) {
        for (JobState state : values()) {
            if (state.wire.equals(s)) {
                return state;
            }
        }
        return valueOf(s.toUpperCase(Locale.ROOT)); // any other spelling: valueOf's answer or its error, as before
    }
}
