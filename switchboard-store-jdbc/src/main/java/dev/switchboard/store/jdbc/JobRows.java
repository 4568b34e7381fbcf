package dev.switchboard.store.jdbc;

import dev.switchboard.core.store.Job;
import dev.switchboard.core.store.JobClaim;
import dev.switchboard.core.store.JobState;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A {@code jobs} row as a {@link Job}: one mapping for reads and for the rows writes return. */
public final class JobRows {
    /** The columns {@link #job} reads, in its order. */
    public static final String COLUMNS = "id, type, state, attempt, max_attempts, timeout_ms, run_at_ms, created_ms, updated_ms, started_ms,"
            + " content_type, payload, progress_percent, progress_message, result_type, result, error, cancel_requested, version";

    private JobRows() {}

    /** The job whose {@link #COLUMNS} start at column 1. */
    public static Job job(ResultSet rs) throws SQLException {
        JobState state = JobState.fromWire(rs.getString(3));
        byte[] payload = rs.getBytes(12);
        byte[] result = rs.getBytes(16);
        // SQLite hands an empty BLOB back as null; a succeeded job always has a result, if empty
        return new Job(rs.getString(1), rs.getString(2), state, rs.getInt(4), rs.getInt(5), rs.getLong(6), rs.getLong(7),
                rs.getLong(8), rs.getLong(9), rs.getLong(10), rs.getString(11), payload == null ? new byte[0] : payload,
                rs.getInt(13), rs.getString(14), rs.getString(15), result == null && state == JobState.SUCCEEDED ? new byte[0] : result,
                rs.getString(17), rs.getBoolean(18), rs.getLong(19));
    }

    /**
     * The jobs a claim statement returned, as claims under {@code lease}, in claim order (run-at, then
     * creation, then id): {@code RETURNING} promises no order. One lease token serves the whole batch —
     * every later call checks the job's id with it, so it never lets one job pass for another.
     */
    public static List<JobClaim> claims(ResultSet rs, String lease, long leaseMillis, long now) throws SQLException {
        List<JobClaim> claims = new ArrayList<>();
        while (rs.next()) {
            Job job = job(rs);
            claims.add(new JobClaim(job, lease, now + Math.min(leaseMillis, job.timeoutMillis())));
        }
        claims.sort(Comparator.comparingLong((JobClaim c) -> c.job().runAtMillis()).thenComparingLong(c -> c.job().createdMillis())
                .thenComparing(c -> c.job().id()));
        return claims;
    }
}
