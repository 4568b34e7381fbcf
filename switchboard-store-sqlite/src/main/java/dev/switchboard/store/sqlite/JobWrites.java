package dev.switchboard.store.sqlite;

import dev.switchboard.core.store.Job;
import dev.switchboard.core.store.JobClaim;
import dev.switchboard.core.store.JobDraft;
import dev.switchboard.core.store.JobState;
import dev.switchboard.core.store.LeaseRefusals;
import dev.switchboard.core.store.Submitted;
import dev.switchboard.store.jdbc.JobReads;
import dev.switchboard.store.jdbc.JobRows;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Job writes with their statements prepared on the write connection. Every method runs as
 * {@link GroupCommitWriter.Work} on the writer thread, inside its transaction, so a claim never races
 * another. Each change is one statement that checks its condition (the lease held, the job due) and
 * returns the row it left, except a complete of a job this writer knows as running ({@link ClaimedJobs}),
 * which makes the row it left from the one it knew; only a refused call reads again, to say why. Mirrors
 * {@code MemoryJobStore}.
 */
final class JobWrites {
    private static final String HELD = " WHERE id = ? AND lease = ? AND state = 'running'";
    private static final String RETURNING = " RETURNING " + JobRows.COLUMNS;
    // A worker's call on a job whose cancellation was asked ends it instead: the lease ends with it.
    // Otherwise the lease runs the claim's lease time from now, never past the attempt's timeout.
    private static final String CANCEL_OR_EXTEND = "state = CASE WHEN cancel_requested THEN 'cancelled' ELSE state END,"
            + " lease = CASE WHEN cancel_requested THEN NULL ELSE lease END,"
            + " lease_until_ms = CASE WHEN cancel_requested THEN NULL ELSE min(? + lease_ms, started_ms + timeout_ms) END";
    private static final String END_LEASE = "lease = NULL, lease_ms = NULL, lease_until_ms = NULL, updated_ms = ?, version = version + 1";

    private final Connection db;
    private final PreparedStatement insert;
    private final PreparedStatement selectByKey;
    private final PreparedStatement claim;
    private final PreparedStatement heartbeat;
    private final PreparedStatement progress;
    private final PreparedStatement complete;
    private final PreparedStatement completeKnown;
    private final PreparedStatement retry;
    private final PreparedStatement end;
    private final PreparedStatement cancel;
    private final PreparedStatement expire;
    private final PreparedStatement purge;
    private final ClaimedJobs claimed = new ClaimedJobs();

    JobWrites(Connection db) throws SQLException {
        this.db = db;
        insert = db.prepareStatement("INSERT INTO jobs (id, type, state, attempt, max_attempts, timeout_ms, run_at_ms, created_ms,"
                + " updated_ms, started_ms, content_type, payload, progress_percent, cancel_requested, version, idempotency_key)"
                + " VALUES (?, ?, 'queued', 0, ?, ?, ?, ?, ?, 0, ?, ?, 0, 0, 1, ?)"
                + " ON CONFLICT (type, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING");
        selectByKey = db.prepareStatement("SELECT " + JobRows.COLUMNS + " FROM jobs WHERE type = ? AND idempotency_key = ?");
        claim = db.prepareStatement("UPDATE jobs SET state = 'running', attempt = attempt + 1, started_ms = ?, lease = ?, lease_ms = ?,"
                + " lease_until_ms = ? + min(?, timeout_ms), updated_ms = ?, version = version + 1"
                + " WHERE id IN (SELECT id FROM jobs WHERE type = ? AND state = 'queued'"
                + " AND run_at_ms <= ? ORDER BY run_at_ms, created_ms, id LIMIT ?)" + RETURNING);
        heartbeat = db.prepareStatement("UPDATE jobs SET " + CANCEL_OR_EXTEND + ", version = version + cancel_requested,"
                + " updated_ms = CASE WHEN cancel_requested THEN ? ELSE updated_ms END" + HELD + RETURNING);
        progress = db.prepareStatement("UPDATE jobs SET " + CANCEL_OR_EXTEND + ","
                + " progress_percent = CASE WHEN cancel_requested THEN progress_percent ELSE ? END,"
                + " progress_message = CASE WHEN cancel_requested THEN progress_message ELSE ? END,"
                + " version = version + 1, updated_ms = ?" + HELD + RETURNING);
        complete = db.prepareStatement("UPDATE jobs SET state = 'succeeded', result_type = ?, result = ?, error = NULL, " + END_LEASE
                + HELD + RETURNING);
        completeKnown = db.prepareStatement("UPDATE jobs SET state = 'succeeded', result_type = ?, result = ?, error = NULL, " + END_LEASE
                + HELD + " AND version = ?");
        retry = db.prepareStatement("UPDATE jobs SET state = 'queued', run_at_ms = ?, error = ?, " + END_LEASE + HELD
                + " AND attempt < max_attempts AND NOT cancel_requested" + RETURNING);
        end = db.prepareStatement("UPDATE jobs SET state = CASE WHEN cancel_requested THEN 'cancelled' ELSE 'failed' END, error = ?, "
                + END_LEASE + HELD + RETURNING);
        cancel = db.prepareStatement("UPDATE jobs SET state = CASE WHEN state = 'queued' THEN 'cancelled' ELSE state END,"
                + " cancel_requested = (state = 'running'), updated_ms = ?, version = version + 1"
                + " WHERE id = ? AND (state = 'queued' OR (state = 'running' AND NOT cancel_requested))" + RETURNING);
        expire = db.prepareStatement("UPDATE jobs SET"
                + " state = CASE WHEN cancel_requested THEN 'cancelled' WHEN attempt < max_attempts THEN 'queued' ELSE 'failed' END,"
                + " run_at_ms = CASE WHEN NOT cancel_requested AND attempt < max_attempts THEN ? ELSE run_at_ms END,"
                + " error = 'attempt ' || attempt || CASE WHEN ? >= started_ms + timeout_ms"
                + " THEN ' reached its timeout of ' || timeout_ms || 'ms' ELSE ' lost its lease: no heartbeat within ' || lease_ms || 'ms' END, "
                + END_LEASE + " WHERE state = 'running' AND lease_until_ms <= ?" + RETURNING);
        purge = db.prepareStatement(
                "DELETE FROM jobs WHERE state IN ('succeeded', 'failed', 'cancelled') AND updated_ms < ? RETURNING id");
    }

    /**
     * Submits {@code drafts[i]} as {@code ids[i]}, one insert each: a key repeated in the list then
     * conflicts with the row its first use inserted, and answers that job, as a key stored earlier does.
     * (One multi-row insert would not do: its RETURNING leaves out the rows that conflicted and promises no order.)
     */
    List<Submitted> submitAll(List<String> ids, List<JobDraft> drafts, long now) throws SQLException {
        List<Submitted> submitted = new ArrayList<>(drafts.size());
        for (int i = 0; i < drafts.size(); i++) {
            submitted.add(submit(ids.get(i), drafts.get(i), now));
        }
        return submitted;
    }

    /** Submits as {@code id}, made by the caller: the writer thread is the bottleneck, so randomness is drawn off it. */
    Submitted submit(String id, JobDraft d, long now) throws SQLException {
        Job job = new Job(id, d.type(), JobState.QUEUED, 0, d.maxAttempts(), d.timeoutMillis(), Math.max(d.runAtMillis(), 0),
                now, now, 0, d.contentType(), d.payload(), 0, null, null, null, null, false, 1);
        insert.setString(1, job.id());
        insert.setString(2, job.type());
        insert.setInt(3, job.maxAttempts());
        insert.setLong(4, job.timeoutMillis());
        insert.setLong(5, job.runAtMillis());
        insert.setLong(6, now);
        insert.setLong(7, now);
        insert.setString(8, job.contentType());
        insert.setBytes(9, job.payload());
        insert.setString(10, d.idempotencyKey());
        if (insert.executeUpdate() == 1) {
            return new Submitted(job, true);
        }
        selectByKey.setString(1, d.type());
        selectByKey.setString(2, d.idempotencyKey());
        return new Submitted(one(selectByKey), false);
    }

    /** Claims up to {@code max} under {@code lease}, a token made by the caller as {@link #submit} takes its id. */
    List<JobClaim> claim(String type, int max, String lease, long leaseMillis, long now) throws SQLException {
        claim.setLong(1, now);
        claim.setString(2, lease);
        claim.setLong(3, leaseMillis);
        claim.setLong(4, now);
        claim.setLong(5, leaseMillis);
        claim.setLong(6, now);
        claim.setString(7, type);
        claim.setLong(8, now);
        claim.setInt(9, max);
        try (ResultSet rs = claim.executeQuery()) {
            List<JobClaim> claims = JobRows.claims(rs, lease, leaseMillis, now);
            claims.forEach(c -> claimed.written(c.job()));
            return claims;
        }
    }

    Job heartbeat(String id, String lease, long now) throws SQLException {
        heartbeat.setLong(1, now);
        heartbeat.setLong(2, now);
        return held("heartbeat", heartbeat, 3, id, lease);
    }

    Job progress(String id, String lease, int percent, String message, long now) throws SQLException {
        progress.setLong(1, now);
        progress.setInt(2, percent);
        progress.setString(3, message);
        progress.setLong(4, now);
        return held("progress", progress, 5, id, lease);
    }

    /** Without reading the row back when this writer knows the job as it runs (the usual case: it claimed it). */
    Job complete(String id, String lease, String resultType, byte[] result, long now) throws SQLException {
        Job known = claimed.take(id);
        if (known != null) {
            completeKnown.setString(1, resultType);
            completeKnown.setBytes(2, result);
            completeKnown.setLong(3, now);
            completeKnown.setString(4, id);
            completeKnown.setString(5, lease);
            completeKnown.setLong(6, known.version());
            if (completeKnown.executeUpdate() == 1) {
                return ClaimedJobs.succeeded(known, resultType, result, now);
            }
        }
        complete.setString(1, resultType);
        complete.setBytes(2, result);
        complete.setLong(3, now);
        return held("complete", complete, 4, id, lease);
    }

    /** Queued again when attempts are left and a retry time given; otherwise failed (cancelled when that was asked). */
    Job fail(String id, String lease, String error, long retryAtMillis, long now) throws SQLException {
        if (retryAtMillis >= 0) {
            retry.setLong(1, retryAtMillis);
            retry.setString(2, error);
            retry.setLong(3, now);
            retry.setString(4, id);
            retry.setString(5, lease);
            Job retried = one(retry);
            if (retried != null) {
                return written(retried);
            }
        }
        end.setString(1, error);
        end.setLong(2, now);
        return held("fail", end, 3, id, lease);
    }

    /** The job as the cancel left it: changed when it was queued or running, as it was otherwise; null when unknown. */
    Job cancel(String id, long now) throws SQLException {
        cancel.setLong(1, now);
        cancel.setString(2, id);
        Job changed = one(cancel);
        return changed != null ? written(changed) : JobReads.get(db, id);
    }

    List<Job> expireLeases(long now) throws SQLException {
        expire.setLong(1, now);
        expire.setLong(2, now);
        expire.setLong(3, now);
        expire.setLong(4, now);
        List<Job> expired = all(expire);
        expired.forEach(claimed::written);
        return expired;
    }

    List<String> purgeFinished(long beforeMillis) throws SQLException {
        purge.setLong(1, beforeMillis);
        List<String> ids = new ArrayList<>();
        try (ResultSet rs = purge.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }

    /** Runs a change guarded by {@link #HELD}, whose id and lease go at {@code at}; refuses, having changed nothing, when no row matched. */
    private Job held(String what, PreparedStatement change, int at, String id, String lease) throws SQLException {
        change.setString(at, id);
        change.setString(at + 1, lease);
        Job changed = one(change);
        if (changed != null) {
            return written(changed);
        }
        Job job = JobReads.get(db, id);
        throw job == null ? LeaseRefusals.noJob(what, id) : LeaseRefusals.jobLeaseNotHeld(what, id, job.state());
    }

    private Job written(Job job) {
        claimed.written(job);
        return job;
    }

    private static Job one(PreparedStatement q) throws SQLException {
        try (ResultSet rs = q.executeQuery()) {
            return rs.next() ? JobRows.job(rs) : null;
        }
    }

    private static List<Job> all(PreparedStatement q) throws SQLException {
        List<Job> jobs = new ArrayList<>();
        try (ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                jobs.add(JobRows.job(rs));
            }
        }
        return jobs;
    }
}
