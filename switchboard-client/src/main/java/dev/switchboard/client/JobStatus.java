package dev.switchboard.client;

import java.util.Locale;

/** Where a {@link Job} stands: {@code queued → running → succeeded | failed | cancelled}; a failed attempt with attempts left is queued again. */
public enum JobStatus {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

    /** Succeeded, failed or cancelled: the job will not change again. */
    public boolean isFinished() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }

    /** The wire name: {@code queued}, {@code running}, … */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static JobStatus fromWire(String status) {
        try {
            return valueOf(status.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown job status '" + status + "': expected queued, running, succeeded, failed or cancelled", e);
        }
    }
}
