package dev.switchboard.store.postgres;

import dev.switchboard.core.store.Job;
import dev.switchboard.core.store.JobState;
import java.sql.ResultSet;
import java.sql.SQLException;

/** A {@code jobs} row as a {@link Job}: one mapping for reads and for the rows writes return. */
final class JobRows {
    /** The columns {@link #job} reads, in its order. */
    static final String COLUMNS = "id, type, state, attempt, max_attempts, timeout_ms, run_at_ms, created_ms, updated_ms, started_ms,"
            + " content_type, payload, progress_percent, progress_message, result_type, result, error, cancel_requested, version";

    private JobRows() {}

    /** The job whose {@link #COLUMNS} start at column 1. */
    static Job job(ResultSet rs) throws SQLException {
        return new Job(rs.getString(1), rs.getString(2), JobState.fromWire(rs.getString(3)), rs.getInt(4), rs.getInt(5), rs.getLong(6),
                rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getLong(10), rs.getString(11), rs.getBytes(12), rs.getInt(13),
                rs.getString(14), rs.getString(15), rs.getBytes(16), rs.getString(17), rs.getBoolean(18), rs.getLong(19));
    }
}
