package dev.switchboard.client;

/**
 * Thrown by {@link JobContext#progress} and {@link JobContext#heartbeat} when the server answers that the job was
 * cancelled: the handler should stop. Let it propagate: the worker then moves on to the next job without
 * completing or failing this one (the server already ended it).
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
