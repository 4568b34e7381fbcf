package dev.switchboard.store.jdbc;

import dev.switchboard.core.message.Message;
import dev.switchboard.core.store.TopicHead;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The log's reads, as both stores run them on a connection of their own choosing. */
public final class LogReads {
    private LogReads() {}

    /** Up to {@code limit} messages of {@code topic} after {@code after}, in offset order: one index range scan. */
    public static List<Message> read(Connection c, String topic, long after, int limit) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT " + MessageRows.COLUMNS
                + " FROM topics t JOIN messages m ON m.topic_id = t.id WHERE t.name = ? AND m.seq > ? ORDER BY m.seq LIMIT ?")) {
            q.setString(1, topic);
            q.setLong(2, after);
            q.setInt(3, limit);
            List<Message> page = new ArrayList<>(Math.min(limit, 256));
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    page.add(MessageRows.message(topic, rs, 1));
                }
            }
            return page;
        }
    }

    /**
     * The retained range of the topics {@code clause} picks ({@code WHERE …}, {@code ORDER BY …}; one
     * {@code ?} bound to {@code topic} when it is not null). One statement, so first and last come from
     * one snapshot even while a writer commits.
     */
    public static List<TopicHead> heads(Connection c, String clause, String topic) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(
                "SELECT t.name, t.last_offset, (SELECT min(m.seq) FROM messages m WHERE m.topic_id = t.id) FROM topics t " + clause)) {
            if (topic != null) {
                q.setString(1, topic);
            }
            List<TopicHead> heads = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    long last = rs.getLong(2);
                    long first = rs.getLong(3);
                    boolean noneRetained = rs.wasNull();
                    heads.add(new TopicHead(rs.getString(1), noneRetained ? last + 1 : first, last));
                }
            }
            return heads;
        }
    }
}
