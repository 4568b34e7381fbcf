package dev.switchboard.client;

/**
 * Thrown by {@link JobContext#progress} and {@link JobContext#heartbeat} once the server refused to renew the job's
 * lease ({@code 409 lease-not-held}: the worker was silent past the lease, or the attempt ran past the job's
 * {@code timeout}), so the job went to another attempt or failed: the handler should stop. Let it propagate: the
 * worker then moves on without completing or failing a job it no longer holds. {@link #refusal()} is the server's
 * answer.
 */
public final class JobLeaseLostException extends RuntimeException {
    private final String jobId;

    public JobLeaseLostException(String jobId, SwitchboardClientException refusal) {
        super("job " + jobId + " is no longer held by this worker: " + refusal.getMessage(), refusal);
        this.jobId = jobId;
    }

    public String jobId() {
        return jobId;
    }

    public SwitchboardClientException refusal() {
        return (SwitchboardClientException) getCause();
    }
}
