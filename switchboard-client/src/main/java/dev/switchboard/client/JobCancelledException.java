package dev.switchboard.client;

/**
 * Thrown by {@link JobContext#progress} and {@link JobContext#heartbeat} once the server answered (to them, or to
 * the worker's automatic heartbeat) that the job was cancelled: the handler should stop. Let it propagate: the
 * worker then moves on to the next job without completing or failing this one (the server already ended it).
 */
public final class JobCancelledException extends RuntimeException {
    private final String jobId;

    public JobCancelledException(String jobId) {
        super("job " + jobId + " was cancelled");
        this.jobId = jobId;
    }

    public String jobId() {
        return jobId;
    }
}
