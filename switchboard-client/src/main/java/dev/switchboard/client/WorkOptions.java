package dev.switchboard.client;

import java.time.Duration;

/**
 * How a {@link JobWorker} runs: {@code concurrency} jobs at once (one virtual thread each), the {@code lease} it
 * claims with (null: the server's {@code job-lease}), whether it renews that lease by itself while a handler runs
 * ({@code autoHeartbeat}, every {@code heartbeatEvery}; null: a third of the lease), how long each claim long-polls
 * ({@code claimWait}), the pacing of reclaims after failures, and how long {@link JobWorker#close()} lets running
 * handlers finish. Immutable; each setter returns a copy.
 */
public record WorkOptions(int concurrency, Duration lease, boolean autoHeartbeat, Duration heartbeatEvery, Duration claimWait,
        Duration minBackoff, Duration maxBackoff, Duration stopGrace) {

    public WorkOptions {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be >= 1, got " + concurrency);
        }
        if (lease != null && (lease.isNegative() || lease.isZero())) {
            throw new IllegalArgumentException("lease must be positive, got " + lease);
        }
        if (heartbeatEvery != null && (heartbeatEvery.isNegative() || heartbeatEvery.isZero())) {
            throw new IllegalArgumentException("heartbeatEvery must be positive, got " + heartbeatEvery);
        }
        if (claimWait.isNegative() || claimWait.isZero()) {
            throw new IllegalArgumentException("claimWait must be positive (a worker that does not wait asks in a busy loop), got " + claimWait);
        }
        if (stopGrace.isNegative()) {
            throw new IllegalArgumentException("stopGrace must be >= 0, got " + stopGrace);
        }
        if (minBackoff.isNegative() || minBackoff.isZero() || maxBackoff.compareTo(minBackoff) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < min <= max, got " + minBackoff + ".." + maxBackoff);
        }
    }

    /**
     * One job at a time, the server's lease renewed automatically every third of it, 30 s claims, backoff
     * 100 ms..10 s, 30 s for handlers to finish on close.
     */
    public static WorkOptions defaults() {
        return new WorkOptions(1, null, true, null, Duration.ofSeconds(30), Duration.ofMillis(100), Duration.ofSeconds(10),
                Duration.ofSeconds(30));
    }

    /** Jobs run at once, each on its own virtual thread (and its own claim). */
    public WorkOptions concurrency(int concurrency) {
        return new WorkOptions(concurrency, lease, autoHeartbeat, heartbeatEvery, claimWait, minBackoff, maxBackoff, stopGrace);
    }

    /** How long a claimed job is held without a heartbeat or progress (the server caps it at {@code job-max-timeout}). */
    public WorkOptions lease(Duration lease) {
        return new WorkOptions(concurrency, lease, autoHeartbeat, heartbeatEvery, claimWait, minBackoff, maxBackoff, stopGrace);
    }

    /**
     * Renews the lease by itself while a handler runs, once {@code every} has passed since the last renewal (the
     * handler's own heartbeat and progress count); null: a third of the lease, so two renewals in a row may fail
     * before the job is lost. On by default.
     */
    public WorkOptions autoHeartbeat(Duration every) {
        return new WorkOptions(concurrency, lease, true, every, claimWait, minBackoff, maxBackoff, stopGrace);
    }

    /**
     * Only the handler's own {@link JobContext#heartbeat} and {@link JobContext#progress} renew the lease: a handler
     * silent for longer than the lease loses its job to another attempt.
     */
    public WorkOptions noAutoHeartbeat() {
        return new WorkOptions(concurrency, lease, false, null, claimWait, minBackoff, maxBackoff, stopGrace);
    }

    /** How long one claim waits for a job (the server caps it at {@code max-wait}). */
    public WorkOptions claimWait(Duration wait) {
        return new WorkOptions(concurrency, lease, autoHeartbeat, heartbeatEvery, wait, minBackoff, maxBackoff, stopGrace);
    }

    /** Reclaim delays grow from {@code min} to {@code max}, doubling, each one jittered down by up to half. */
    public WorkOptions backoff(Duration min, Duration max) {
        return new WorkOptions(concurrency, lease, autoHeartbeat, heartbeatEvery, claimWait, min, max, stopGrace);
    }

    /** How long {@link JobWorker#close()} waits for running handlers before interrupting them. */
    public WorkOptions stopGrace(Duration grace) {
        return new WorkOptions(concurrency, lease, autoHeartbeat, heartbeatEvery, claimWait, minBackoff, maxBackoff, grace);
    }
}
