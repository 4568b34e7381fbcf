package dev.switchboard.core.jobs;

import dev.switchboard.core.config.JobSettings;
import dev.switchboard.core.error.ErrorCode;
import dev.switchboard.core.error.SwitchboardException;
import dev.switchboard.core.message.NameSyntax;
import dev.switchboard.core.store.Job;
import dev.switchboard.core.store.JobDraft;
import dev.switchboard.core.store.JobIds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@link Jobs} refuses before the store sees a call, with the message each caller gets: requests made
 * drafts (defaults applied, limits checked), a batch checked whole before any of it is stored, job ids,
 * types, waits and claim arguments.
 */
final class JobChecks {
    private static final int MAX_TYPE_LENGTH = 100;
    private static final int MAX_ATTEMPTS = 1_000;
    private static final int MAX_KEY_LENGTH = 200;

    private final JobSettings settings;
    private final Duration maxWait;

    JobChecks(JobSettings settings, Duration maxWait) {
        this.settings = settings;
        this.maxWait = maxWait;
    }

    /** The request with the settings' defaults, as the store takes it; BAD_REQUEST when a value is out of range. */
    JobDraft draft(JobRequest r) {
        requireType(r.type());
        int attempts = r.maxAttempts() == null ? settings.attempts() : r.maxAttempts();
        if (attempts < 1 || attempts > MAX_ATTEMPTS) {
            throw new SwitchboardException(ErrorCode.BAD_REQUEST, "max_attempts=" + attempts + " is out of range: 1 to " + MAX_ATTEMPTS);
        }
        Duration timeout = r.timeout() == null ? settings.timeout() : r.timeout();
        if (timeout.toMillis() < 1 || timeout.compareTo(settings.maxTimeout()) > 0) {
            throw new SwitchboardException(ErrorCode.BAD_REQUEST, "timeout=" + timeout.toMillis() + "ms is out of range: 1ms to "
                    + settings.maxTimeout().toMillis() + "ms (job-max-timeout)");
        }
        if (r.idempotencyKey() != null && (r.idempotencyKey().isEmpty() || r.idempotencyKey().length() > MAX_KEY_LENGTH)) {
            throw new SwitchboardException(ErrorCode.BAD_REQUEST, "Idempotency-Key must be 1 to " + MAX_KEY_LENGTH + " characters");
        }
        // Due now unless delayed: run_at then says when the job became due, not 1970.
        long runAt = r.runAt() == null ? System.currentTimeMillis() : r.runAt().toEpochMilli();
        return new JobDraft(r.type(), r.contentType(), r.payload(), attempts, timeout.toMillis(), runAt, r.idempotencyKey());
    }

    /** Every request of a batch made a draft before any is stored: one bad request refuses the batch, naming its index. */
    List<JobDraft> drafts(List<JobRequest> requests) {
        if (requests.isEmpty()) {
            throw new SwitchboardException(ErrorCode.BAD_REQUEST, "a batch submit has no jobs: send 1 to " + Jobs.MAX_SUBMIT_BATCH);
        }
        if (requests.size() > Jobs.MAX_SUBMIT_BATCH) {
            throw new SwitchboardException(ErrorCode.BAD_REQUEST, "a batch of " + requests.size() + " jobs is above the limit of "
                    + Jobs.MAX_SUBMIT_BATCH + "; nothing was submitted");
        }
        List<JobDraft> drafts = new ArrayList<>(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            try {
                drafts.add(draft(requests.get(i)));
            } catch (SwitchboardException e) {
                throw new SwitchboardException(e.code(), "job " + i + " (counting from 0) of the batch of " + requests.size()
                        + " is invalid, nothing was submitted: " + e.getMessage());
            }
        }
        return drafts;
    }

    /** The lease a claim of up to {@code max} jobs takes ({@code lease} or the default), once its arguments are in range. */
    Duration claimLease(String type, int max, Duration lease, Duration wait) {
        requireType(type);
        requireWait(wait);
        if (max < 1 || max > Jobs.MAX_CLAIM) {
            throw new SwitchboardException(ErrorCode.BAD_REQUEST, "max=" + max + " is out of range: 1 to " + Jobs.MAX_CLAIM);
        }
        Duration leaseFor = lease == null ? settings.lease() : lease;
        if (leaseFor.toMillis() < 1 || leaseFor.compareTo(settings.maxTimeout()) > 0) {
            throw new SwitchboardException(ErrorCode.BAD_REQUEST, "lease=" + leaseFor.toMillis() + "ms is out of range: 1ms to "
                    + settings.maxTimeout().toMillis() + "ms (job-max-timeout)");
        }
        return leaseFor;
    }

    void requireWait(Duration wait) {
        if (wait.isNegative() || wait.compareTo(maxWait) > 0) {
            throw new SwitchboardException(ErrorCode.WAIT_TOO_LONG, "wait=" + wait.toMillis() + "ms is above the server's cap of "
                    + maxWait.toMillis() + "ms (max-wait)");
        }
    }

    static String requireId(String id) {
        if (!JobIds.isWellFormed(id)) {
            throw new SwitchboardException(ErrorCode.NOT_FOUND, "there is no job '" + printable(id) + "': job ids are 32 hex digits");
        }
        return id;
    }

    static void requireType(String type) {
        if (!NameSyntax.isName(type, MAX_TYPE_LENGTH, false)) {
            throw new SwitchboardException(ErrorCode.BAD_REQUEST, "job type '" + printable(type)
                    + "' is invalid: it must match ^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$");
        }
    }

    static Job found(String id, Job job) {
        if (job == null) {
            throw new SwitchboardException(ErrorCode.NOT_FOUND, "there is no job '" + id + "' (never submitted, or removed "
                    + "after job-retention)");
        }
        return job;
    }

    private static String printable(String s) {
        if (s == null) {
            return "";
        }
        return (s.length() > 60 ? s.substring(0, 60) + "…" : s).replaceAll("\\p{Cntrl}", "?");
    }
}
