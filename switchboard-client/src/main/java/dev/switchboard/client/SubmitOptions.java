package dev.switchboard.client;

import java.time.Duration;
import java.time.Instant;

/**
 * The optional settings of a submitted job; each null means the server's default ({@code job-attempts},
 * {@code job-timeout}, due now, no key). {@code idempotencyKey}: submitting again with the same key (and type)
 * returns the first job, so a client that lost the answer can retry safely. {@code preferWait}: the submit's
 * answer waits up to this long (whole seconds, capped by the server's {@code max-wait}) for the job to finish
 * ({@code Prefer: wait}, RFC 7240).
 */
public record SubmitOptions(Integer maxAttempts, Duration timeout, Instant runAt, String idempotencyKey, Duration preferWait) {
    private static final SubmitOptions DEFAULTS = new SubmitOptions(null, null, null, null, null);

    public SubmitOptions {
        if (maxAttempts != null && maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1, got " + maxAttempts);
        }
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        if (idempotencyKey != null && idempotencyKey.isBlank()) {
            throw new IllegalArgumentException("idempotencyKey must not be blank");
        }
        if (preferWait != null && preferWait.isNegative()) {
            throw new IllegalArgumentException("preferWait must be >= 0, got " + preferWait);
        }
    }

    /** Every setting the server's default. */
    public static SubmitOptions defaults() {
        return DEFAULTS;
    }

    /** Attempts before the job fails for good (retries wait the server's backoff). */
    public SubmitOptions maxAttempts(int attempts) {
        return new SubmitOptions(attempts, timeout, runAt, idempotencyKey, preferWait);
    }

    /** Run time of one attempt, heartbeats or not (the server caps it at {@code job-max-timeout}). */
    public SubmitOptions timeout(Duration timeout) {
        return new SubmitOptions(maxAttempts, timeout, runAt, idempotencyKey, preferWait);
    }

    /** Not due before this instant. */
    public SubmitOptions runAt(Instant runAt) {
        return new SubmitOptions(maxAttempts, timeout, runAt, idempotencyKey, preferWait);
    }

    public SubmitOptions idempotencyKey(String key) {
        return new SubmitOptions(maxAttempts, timeout, runAt, key, preferWait);
    }

    public SubmitOptions preferWait(Duration wait) {
        return new SubmitOptions(maxAttempts, timeout, runAt, idempotencyKey, wait);
    }
}
