package dev.switchboard.store.jdbc;

import dev.switchboard.core.store.GroupState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Consumer-group queries that only read, on any connection: a read connection, or the write
 * connection when a group write answers with the state it left.
 */
public final class GroupReads {
    // One statement, so the counts and the topic's last offset come from one snapshot.
    private static final String STATES = """
            SELECT g.name, g.committed, g.delivered,
                (SELECT count(*) FROM group_pending p WHERE p.group_id = g.id),
                (SELECT count(*) FROM group_pending p WHERE p.group_id = g.id AND p.lease IS NOT NULL AND p.lease_until > ?),
                coalesce(t.last_offset, 0),
                coalesce((SELECT m.time_ms FROM messages m WHERE m.topic_id = t.id AND m.seq > g.committed
                    ORDER BY m.seq LIMIT 1), 0)
            FROM consumer_groups g LEFT JOIN topics t ON t.name = g.topic
            WHERE g.topic = ?""";

    private GroupReads() {}

    /** The state of {@code group}, or of every group of the topic by name when {@code group} is null. */
    public static List<GroupState> states(Connection c, String topic, String group, long nowMillis) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(STATES + (group == null ? " ORDER BY g.name" : " AND g.name = ?"))) {
            q.setLong(1, nowMillis);
            q.setString(2, topic);
            if (group != null) {
                q.setString(3, group);
            }
            List<GroupState> states = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    states.add(new GroupState(topic, rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                            rs.getLong(6), rs.getLong(7)));
                }
            }
            return states;
        }
    }

    /** The state of one group, or null when it does not exist. */
    public static GroupState state(Connection c, String topic, String group, long nowMillis) throws SQLException {
        List<GroupState> one = states(c, topic, group, nowMillis);
        return one.isEmpty() ? null : one.getFirst();
    }

    /** The first retained offset stored at or after {@code timeMillis}; last + 1 when none. */
    public static long offsetAt(Connection c, String topic, long timeMillis) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT t.last_offset,"
                + " (SELECT min(m.seq) FROM messages m WHERE m.topic_id = t.id AND m.time_ms >= ?) FROM topics t WHERE t.name = ?")) {
            q.setLong(1, timeMillis);
            q.setString(2, topic);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    return 1;
                }
                long last = rs.getLong(1);
                long first = rs.getLong(2);
                return rs.wasNull() ? last + 1 : first;
            }
        }
    }
}
