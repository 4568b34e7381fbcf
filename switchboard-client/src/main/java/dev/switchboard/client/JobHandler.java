package dev.switchboard.client;

import java.time.Duration;

/**
 * Runs the jobs a {@link JobWorker} claims, one at a time per worker thread ({@link WorkOptions#concurrency()}).
 * Only {@link #handle} is required.
 */
@FunctionalInterface
public interface JobHandler {
    /**
     * Runs one job. The value returned completes it as its result (anything Jackson can write: a {@code JsonNode}
     * as is, a {@code String} as text, null for no result). Throwing fails the attempt with the exception's message
     * (the server retries while attempts are left). A job lost while this ran (cancelled, or its lease refused; see
     * {@link JobContext}) is neither completed nor failed, whatever this returns or throws: the handler's thread
     * was interrupted and {@link JobCancelledException} or {@link JobLeaseLostException} is the usual way out.
     */
    Object handle(JobContext job) throws Exception;

    /**
     * The worker survived a refusal: a complete, fail or automatic heartbeat the server did not take (typically
     * {@code lease-not-held}: the job was lost and has gone to another attempt). Called from the worker's threads.
     */
    default void onProblem(SwitchboardClientException problem) {}

    /** A claim failed (server unreachable, restarting); the worker claims again after {@code delay}. */
    default void onReconnecting(SwitchboardClientException cause, Duration delay) {}

    /** The worker ended: {@code cause} is null when closed, else the refusal or the handler's {@link Error}. */
    default void onEnd(Throwable cause) {}
}
