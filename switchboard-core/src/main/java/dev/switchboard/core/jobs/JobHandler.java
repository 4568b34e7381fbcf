package dev.switchboard.core.jobs;

/**
 * An in-process worker for one job type. Returning ends the attempt with success; throwing fails it
 * (retried while attempts are left); {@link JobCancelledException} (thrown by
 * {@link JobContext#progress} or {@link JobContext#heartbeat} once cancellation was asked) ends it as
 * cancelled.
 */
@FunctionalInterface
public interface JobHandler {
    /** @return the result and its content type, or null for none */
    JobResult handle(JobContext job) throws Exception;

    /** A handler's result. */
    record JobResult(String contentType, byte[] bytes) {}
}
