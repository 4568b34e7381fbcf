package dev.switchboard.core.store;

/**
 * A job to submit.
 *
 * @param timeoutMillis  how long one attempt may run, heartbeats or not
 * @param runAtMillis    not claimable before this time (0: at once)
 * @param idempotencyKey the same key returns the first job instead of a new one (null: none)
 */
public record JobDraft(String type, String contentType, byte[] payload, int maxAttempts, long timeoutMillis, long runAtMillis,
        String idempotencyKey) {
    public JobDraft {
        if (maxAttempts < 1 || timeoutMillis < 1) {
            throw new IllegalArgumentException("maxAttempts and timeoutMillis must be positive: " + maxAttempts + ", " + timeoutMillis);
        }
    }
}
