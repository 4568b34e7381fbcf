package dev.switchboard.core.jobs;

import java.time.Duration;
import java.time.Instant;

/**
 * A job as a client submits it; null fields take the server's defaults.
 *
 * @param runAt          not run before this instant (null: at once)
 * @param idempotencyKey the same key (for the same type) returns the first job instead of a new one
 */
public record JobRequest(String type, String contentType, byte[] payload, Integer maxAttempts, Duration timeout, Instant runAt,
        String idempotencyKey) {}
