package dev.switchboard.store.postgres;

import dev.switchboard.core.store.Job;
import dev.switchboard.core.store.JobClaim;
import dev.switchboard.core.store.JobDraft;
import dev.switchboard.core.store.JobIds;
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
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Job writes: clients' and workers' in a {@link JobCommits} batch (submits and completes with a statement
 * for the whole batch besides the one for a lone write), the sweeper's in autocommit. Each change is one statement that checks its own
 * condition (the lease held, the job due) under the row's lock and returns the row it left; only a
 * refused call reads again, to say why. The driver keeps each statement prepared on its connection
 * once used a few times. Mirrors {@code MemoryJobStore}.
 *
 * <p>Claims, expiry and purges pick their rows with {@code FOR UPDATE SKIP LOCKED}: workers of one type
 * on any node each take a different job instead of queueing on the first one's lock, and two nodes
 * sweeping at once split the rows instead of deadlocking over them.
 */
final class JobWrites {
    private static final String HELD = " WHERE id = ? AND lease = ? AND state = 'running'";
    private static final String RETURNING = " RETURNING " + JobRows.COLUMNS;
    // A worker's call on a job whose cancellation was asked ends it instead: the lease ends with it.
    // Otherwise the lease runs the claim's lease time from now, never past the attempt's timeout.
    private static final String CANCEL_OR_EXTEND = "state = CASE WHEN cancel_requested THEN 'cancelled' ELSE state END,"
            + " lease = CASE WHEN cancel_requested THEN NULL ELSE lease END,"
            + " lease_until_ms = CASE WHEN cancel_requested THEN NULL ELSE least(? + lease_ms, started_ms + timeout_ms) END";
    private static final String END_LEASE = "lease = NULL, lease_ms = NULL, lease_until_ms = NULL, updated_ms = ?, version = version + 1";

    private static final String INSERT = "INSERT INTO jobs (id, type, state, attempt, max_attempts, timeout_ms, run_at_ms, created_ms,"
            + " updated_ms, started_ms, content_type, payload, progress_percent, cancel_requested, version, idempotency_key)"
            + " VALUES (?, ?, 'queued', 0, ?, ?, ?, ?, ?, 0, ?, ?, 0, false, 1, ?)"
            + " ON CONFLICT (type, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING";
    private static final String BY_KEY = "SELECT " + JobRows.COLUMNS + " FROM jobs WHERE type = ? AND idempotency_key = ?";
    private static final String CLAIM = "UPDATE jobs SET state = 'running', attempt = attempt + 1, started_ms = ?, lease = ?,"
            + " lease_ms = ?, lease_until_ms = ? + least(?, timeout_ms), updated_ms = ?, version = version + 1"
            + " WHERE id IN (SELECT id FROM jobs WHERE type = ? AND state = 'queued' AND run_at_ms <= ?"
            + " ORDER BY run_at_ms, created_ms, id LIMIT ? FOR UPDATE SKIP LOCKED)" + RETURNING;
    private static final String HEARTBEAT = "UPDATE jobs SET " + CANCEL_OR_EXTEND + ", version = version + cancel_requested::int,"
            + " updated_ms = CASE WHEN cancel_requested THEN ? ELSE updated_ms END" + HELD + RETURNING;
    private static final String PROGRESS = "UPDATE jobs SET " + CANCEL_OR_EXTEND + ","
            + " progress_percent = CASE WHEN cancel_requested THEN progress_percent ELSE ? END,"
            + " progress_message = CASE WHEN cancel_requested THEN progress_message ELSE ? END,"
            + " version = version + 1, updated_ms = ?" + HELD + RETURNING;
    private static final String COMPLETE = "UPDATE jobs SET state = 'succeeded', result_type = ?, result = ?, error = NULL, " + END_LEASE
            + HELD + RETURNING;
    private static final String RETRY = "UPDATE jobs SET state = 'queued', run_at_ms = ?, error = ?, " + END_LEASE + HELD
            + " AND attempt < max_attempts AND NOT cancel_requested" + RETURNING;
    private static final String END = "UPDATE jobs SET state = CASE WHEN cancel_requested THEN 'cancelled' ELSE 'failed' END, error = ?, "
            + END_LEASE + HELD + RETURNING;
    private static final String CANCEL = "UPDATE jobs SET state = CASE WHEN state = 'queued' THEN 'cancelled' ELSE state END,"
            + " cancel_requested = (state = 'running'), updated_ms = ?, version = version + 1"
            + " WHERE id = ? AND (state = 'queued' OR (state = 'running' AND NOT cancel_requested))" + RETURNING;
    private static final String EXPIRE = "UPDATE jobs SET"
            + " state = CASE WHEN cancel_requested THEN 'cancelled' WHEN attempt < max_attempts THEN 'queued' ELSE 'failed' END,"
            + " run_at_ms = CASE WHEN NOT cancel_requested AND attempt < max_attempts THEN ? ELSE run_at_ms END,"
            + " error = 'attempt ' || attempt || CASE WHEN ? >= started_ms + timeout_ms"
            + " THEN ' reached its timeout of ' || timeout_ms || 'ms' ELSE ' lost its lease: no heartbeat within ' || lease_ms || 'ms' END, "
            + END_LEASE + " WHERE id IN (SELECT id FROM jobs WHERE state = 'running' AND lease_until_ms <= ? FOR UPDATE SKIP LOCKED)"
            + RETURNING;
    private static final String PURGE = "DELETE FROM jobs WHERE id IN (SELECT id FROM jobs"
            + " WHERE state IN ('succeeded', 'failed', 'cancelled') AND updated_ms < ? FOR UPDATE SKIP LOCKED) RETURNING id";

    // The job's own row only: unnest's columns share names with the table's.
    private static final String RETURNING_JOBS = " RETURNING " + JobRows.COLUMNS.replaceAll("(\\w+)", "jobs.$1");
    private static final String COMPLETE_ALL = "UPDATE jobs SET state = 'succeeded', result_type = u.result_type, result = u.result,"
            + " error = NULL, lease = NULL, lease_ms = NULL, lease_until_ms = NULL, updated_ms = u.now, version = version + 1"
            + " FROM unnest(?::text[], ?::text[], ?::text[], ?::bytea[], ?::bigint[]) AS u(id, lease, result_type, result, now)"
            + " WHERE jobs.id = u.id AND jobs.lease = u.lease AND jobs.state = 'running'" + RETURNING_JOBS;

    private static final String INSERT_ALL = "INSERT INTO jobs (id, type, state, attempt, max_attempts, timeout_ms, run_at_ms,"
            + " created_ms, updated_ms, started_ms, content_type, payload, progress_percent, cancel_requested, version, idempotency_key)"
            + " SELECT id, type, 'queued', 0, max_attempts, timeout_ms, run_at_ms, now, now, 0, content_type, payload, 0, false, 1, key"
            + " FROM unnest(?::text[], ?::text[], ?::int[], ?::bigint[], ?::bigint[], ?::bigint[], ?::text[], ?::bytea[], ?::text[])"
            + " AS u(id, type, max_attempts, timeout_ms, run_at_ms, now, content_type, payload, key)"
            + " ON CONFLICT (type, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING RETURNING id";

    /** A submit at {@code now}. */
    record NewJob(JobDraft draft, long now) {}

    /** A worker's complete of job {@code id} under {@code lease}, at {@code now}. */
    record Completion(String id, String lease, String resultType, byte[] result, long now) {}

    /**
     * Submits: one {@code INSERT … SELECT FROM unnest(…)} for the batch. A submit whose idempotency key
     * is taken (by an earlier job, or by another submit in the same statement) inserts nothing there;
     * on its own after, it reads the job that holds the key.
     */
    static final JobCommits.Bulk<NewJob, Submitted> SUBMITS = new JobCommits.Bulk<>() {
        @Override
        public List<Submitted> runAll(Connection c, List<NewJob> inputs) throws SQLException {
            List<Job> jobs = inputs.stream().map(in -> queued(in.draft(), in.now())).toList();
            Set<String> inserted = new HashSet<>();
            try (PreparedStatement q = c.prepareStatement(INSERT_ALL)) {
                q.setArray(1, c.createArrayOf("text", jobs.stream().map(Job::id).toArray()));
                q.setArray(2, c.createArrayOf("text", jobs.stream().map(Job::type).toArray()));
                q.setArray(3, c.createArrayOf("integer", jobs.stream().map(Job::maxAttempts).toArray()));
                q.setArray(4, c.createArrayOf("bigint", jobs.stream().map(Job::timeoutMillis).toArray()));
                q.setArray(5, c.createArrayOf("bigint", jobs.stream().map(Job::runAtMillis).toArray()));
                q.setArray(6, c.createArrayOf("bigint", jobs.stream().map(Job::createdMillis).toArray()));
                q.setArray(7, c.createArrayOf("text", jobs.stream().map(Job::contentType).toArray()));
                q.setArray(8, c.createArrayOf("bytea", jobs.stream().map(Job::payload).toArray(byte[][]::new)));
                q.setArray(9, c.createArrayOf("text", inputs.stream().map(in -> in.draft().idempotencyKey()).toArray()));
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        inserted.add(rs.getString(1));
                    }
                }
            }
            return jobs.stream().map(job -> inserted.contains(job.id()) ? new Submitted(job, true) : null).toList();
        }

        @Override
        public Submitted runOne(Connection c, NewJob in) throws SQLException {
            return submit(c, in.draft(), in.now());
        }
    };

    /**
     * Completes: one {@code UPDATE … FROM unnest(…)} for the batch, each row under the same guard as
     * {@link #complete}. A job completed twice in one batch is taken once; its other complete runs on
     * its own after, and is refused as a lone one would be.
     */
    static final JobCommits.Bulk<Completion, Job> COMPLETES = new JobCommits.Bulk<>() {
        @Override
        public List<Job> runAll(Connection c, List<Completion> inputs) throws SQLException {
            Map<String, Completion> firstById = new LinkedHashMap<>();
            inputs.forEach(in -> firstById.putIfAbsent(in.id(), in));
            Collection<Completion> taken = firstById.values();
            Map<String, Job> completed = new HashMap<>();
            try (PreparedStatement q = c.prepareStatement(COMPLETE_ALL)) {
                q.setArray(1, c.createArrayOf("text", taken.stream().map(Completion::id).toArray()));
                q.setArray(2, c.createArrayOf("text", taken.stream().map(Completion::lease).toArray()));
                q.setArray(3, c.createArrayOf("text", taken.stream().map(Completion::resultType).toArray()));
                q.setArray(4, c.createArrayOf("bytea", taken.stream().map(Completion::result).toArray(byte[][]::new)));
                q.setArray(5, c.createArrayOf("bigint", taken.stream().map(Completion::now).toArray()));
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        Job job = JobRows.job(rs);
                        completed.put(job.id(), job);
                    }
                }
            }
            List<Job> results = new ArrayList<>(inputs.size());
            for (Completion in : inputs) {
                results.add(firstById.get(in.id()) == in ? completed.get(in.id()) : null);
            }
            return results;
        }

        @Override
        public Job runOne(Connection c, Completion in) throws SQLException {
            return complete(c, in.id(), in.lease(), in.resultType(), in.result(), in.now());
        }
    };

    private JobWrites() {}

    static Submitted submit(Connection c, JobDraft d, long now) throws SQLException {
        Job job = queued(d, now);
        try (PreparedStatement insert = c.prepareStatement(INSERT)) {
            bind(insert, job.id(), job.type(), job.maxAttempts(), job.timeoutMillis(), job.runAtMillis(), now, now, job.contentType(),
                    job.payload(), d.idempotencyKey());
            if (insert.executeUpdate() == 1) {
                return new Submitted(job, true);
            }
        }
        // The conflict waited for the first job's commit, so this statement's snapshot sees it.
        return new Submitted(one(c, BY_KEY, d.type(), d.idempotencyKey()), false);
    }

    /**
     * A batch submit: the bulk insert of {@link #SUBMITS} for every draft, then, on its own, each draft it
     * did not take (its key stored before, or used earlier in the list), which answers the job holding the key.
     */
    static List<Submitted> submitAll(Connection c, List<JobDraft> drafts, long now) throws SQLException {
        List<Submitted> inserted = SUBMITS.runAll(c, drafts.stream().map(d -> new NewJob(d, now)).toList());
        List<Submitted> submitted = new ArrayList<>(drafts.size());
        for (int i = 0; i < drafts.size(); i++) {
            Submitted s = inserted.get(i);
            submitted.add(s != null ? s : submit(c, drafts.get(i), now));
        }
        return submitted;
    }

    private static Job queued(JobDraft d, long now) {
        return new Job(JobIds.next(now), d.type(), JobState.QUEUED, 0, d.maxAttempts(), d.timeoutMillis(), Math.max(d.runAtMillis(), 0),
                now, now, 0, d.contentType(), d.payload(), 0, null, null, null, null, false, 1);
    }

    static List<JobClaim> claim(Connection c, String type, int max, long leaseMillis, long now) throws SQLException {
        String lease = UUID.randomUUID().toString();
        try (PreparedStatement q = c.prepareStatement(CLAIM)) {
            bind(q, now, lease, leaseMillis, now, leaseMillis, now, type, now, max);
            try (ResultSet rs = q.executeQuery()) {
                return JobRows.claims(rs, lease, leaseMillis, now);
            }
        }
    }

    static Job heartbeat(Connection c, String id, String lease, long now) throws SQLException {
        return held(c, "heartbeat", HEARTBEAT, id, lease, now, now, id, lease);
    }

    static Job progress(Connection c, String id, String lease, int percent, String message, long now) throws SQLException {
        return held(c, "progress", PROGRESS, id, lease, now, percent, message, now, id, lease);
    }

    static Job complete(Connection c, String id, String lease, String resultType, byte[] result, long now) throws SQLException {
        return held(c, "complete", COMPLETE, id, lease, resultType, result, now, id, lease);
    }

    /** Queued again when attempts are left and a retry time given; otherwise failed (cancelled when that was asked). */
    static Job fail(Connection c, String id, String lease, String error, long retryAtMillis, long now) throws SQLException {
        if (retryAtMillis >= 0) {
            Job retried = one(c, RETRY, retryAtMillis, error, now, id, lease);
            if (retried != null) {
                return retried;
            }
        }
        return held(c, "fail", END, id, lease, error, now, id, lease);
    }

    /** The job as the cancel left it: changed when it was queued or running, as it was otherwise; null when unknown. */
    static Job cancel(Connection c, String id, long now) throws SQLException {
        Job changed = one(c, CANCEL, now, id);
        return changed != null ? changed : JobReads.get(c, id);
    }

    static List<Job> expireLeases(Connection c, long now) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(EXPIRE)) {
            bind(q, now, now, now, now);
            List<Job> jobs = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    jobs.add(JobRows.job(rs));
                }
            }
            return jobs;
        }
    }

    static List<String> purgeFinished(Connection c, long beforeMillis) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(PURGE)) {
            q.setLong(1, beforeMillis);
            List<String> ids = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            return ids;
        }
    }

    /** Runs a change guarded by {@link #HELD}; refuses, having changed nothing, when no row matched. */
    private static Job held(Connection c, String what, String sql, String id, String lease, Object... params) throws SQLException {
        Job changed = one(c, sql, params);
        if (changed != null) {
            return changed;
        }
        Job job = JobReads.get(c, id);
        throw job == null ? LeaseRefusals.noJob(what, id) : LeaseRefusals.jobLeaseNotHeld(what, id, job.state());
    }

    private static Job one(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(sql)) {
            bind(q, params);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? JobRows.job(rs) : null;
            }
        }
    }

    private static void bind(PreparedStatement q, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            q.setObject(i + 1, params[i]);
        }
    }
}
