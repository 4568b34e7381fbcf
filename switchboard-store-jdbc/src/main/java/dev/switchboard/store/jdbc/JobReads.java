package dev.switchboard.store.jdbc;

import dev.switchboard.core.store.Job;
import dev.switchboard.core.store.JobState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

/** Job queries that only read, on any connection: a read connection, or the write connection when a write is refused. */
public final class JobReads {
    private JobReads() {}

    /** The job, or null when there is none with this id. */
    public static Job get(Connection c, String id) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT " + JobRows.COLUMNS + " FROM jobs WHERE id = ?")) {
            q.setString(1, id);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? JobRows.job(rs) : null;
            }
        }
    }

    /** The earliest run-at time of a queued job of {@code type}; {@link Long#MAX_VALUE} when none is queued. */
    public static long nextDue(Connection c, String type) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT min(run_at_ms) FROM jobs WHERE type = ? AND state = 'queued'")) {
            q.setString(1, type);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                long due = rs.getLong(1);
                return rs.wasNull() ? Long.MAX_VALUE : due;
            }
        }
    }

    /** Jobs by type, then by state: a scan of the table, for metrics now and then. */
    public static Map<String, Map<JobState, Long>> counts(Connection c) throws SQLException {
        Map<String, Map<JobState, Long>> counts = new TreeMap<>();
        try (PreparedStatement q = c.prepareStatement("SELECT type, state, count(*) FROM jobs GROUP BY type, state");
             ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                counts.computeIfAbsent(rs.getString(1), t -> new EnumMap<>(JobState.class)).put(JobState.fromWire(rs.getString(2)),
                        rs.getLong(3));
            }
        }
        return counts;
    }
}
