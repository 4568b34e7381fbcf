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
     * (the server retries while attempts are left); a {@link JobCancelledException} ends it without a call (the
     * server cancelled it already).
     */
    Object handle(JobContext job) throws Exception;

    /** The worker survived a refusal: a complete or fail the server did not take (typically {@code lease-not-held}). */
    default void onProblem(SwitchboardClientException problem) {}

    /** A claim failed (server unreachable, restarting); the worker claims again after {@code delay}. */
    default void onReconnecting(SwitchboardClientException cause, Duration delay) {}

    /** The worker ended: {@code cause} is null when closed, else the refusal or the handler's {@link Error}. */
    default void onEnd(Throwable cause) {}
}
