package dev.switchboard.core.store;

/**
 * A job record as the store holds it. {@code version} grows by one with every change, so a client can
 * wait for "a change past version N". {@code attempt} counts the claims so far (0 while never run).
 *
 * @param startedMillis   when the current (or last) attempt started, 0 before the first
 * @param result          the worker's result (with {@code resultType}), null until it succeeded
 * @param error           the last failure's message, or null
 * @param cancelRequested cancellation was asked while it ran: the worker learns it on its next heartbeat or progress
 */
public record Job(String id, String type, JobState state, int attempt, int maxAttempts, long timeoutMillis, long runAtMillis,
        long createdMillis, long updatedMillis, long startedMillis, String contentType, byte[] payload, int progressPercent, String progressMessage,
        String resultType, byte[] result, String error, boolean cancelRequested, long version) {}
