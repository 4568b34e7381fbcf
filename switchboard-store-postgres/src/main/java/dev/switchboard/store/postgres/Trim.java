package dev.switchboard.store.postgres;

import dev.switchboard.core.store.Retention;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Deletes the oldest messages of a topic beyond its retention, in the caller's transaction. Both limits
 * cut a prefix: messages are contiguous from the oldest retained to the last, and an age limit keeps
 * everything from the first message young enough, as the other stores do.
 */
final class Trim {
    private Trim() {}

    static long run(Connection c, String topic, Retention retention, long nowMillis) throws SQLException {
        long id;
        long last;
        try (PreparedStatement lock = c.prepareStatement("SELECT id, last_offset FROM topics WHERE name = ? FOR UPDATE")) {
            lock.setString(1, topic);
            try (ResultSet rs = lock.executeQuery()) {
                if (!rs.next()) {
                    return 0;
                }
                id = rs.getLong(1);
                last = rs.getLong(2);
            }
        }
        long keepFrom = retention.maxMessages() > 0 ? last - retention.maxMessages() + 1 : 0;
        if (!retention.maxAge().isZero()) {
            try (PreparedStatement young = c.prepareStatement(
                    "SELECT seq FROM messages WHERE topic_id = ? AND time_ms >= ? ORDER BY seq LIMIT 1")) {
                young.setLong(1, id);
                young.setLong(2, nowMillis - retention.maxAge().toMillis());
                try (ResultSet rs = young.executeQuery()) {
                    keepFrom = Math.max(keepFrom, rs.next() ? rs.getLong(1) : last + 1);
                }
            }
        }
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM messages WHERE topic_id = ? AND seq < ?")) {
            delete.setLong(1, id);
            delete.setLong(2, keepFrom);
            return delete.executeUpdate();
        }
    }
}
