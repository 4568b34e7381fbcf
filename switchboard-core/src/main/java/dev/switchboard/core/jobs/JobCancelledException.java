package dev.switchboard.core.jobs;

/** Thrown into a running handler by its next progress or heartbeat call once the job was cancelled. */
public final class JobCancelledException extends RuntimeException {
    public JobCancelledException(String id) {
        super("job '" + id + "' was cancelled", null, false, false);
    }
}
