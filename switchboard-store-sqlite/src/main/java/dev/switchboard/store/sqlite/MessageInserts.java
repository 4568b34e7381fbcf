package dev.switchboard.store.sqlite;

import dev.switchboard.core.message.Message;
import dev.switchboard.core.store.HeaderCodec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The messages of one transaction, inserted when it commits in statements of up to {@link #ROWS} rows
 * each: a row costs the writer less as one of many {@code VALUES} than as a statement run of its own,
 * and a job's three events are three rows. Writer thread only.
 */
final class MessageInserts {
    static final int ROWS = 64; // six parameters a row: far below SQLite's limit of 32,766

    private record Row(long topicId, Message message) {}

    private final Connection db;
    // The statement for n rows at index n, prepared the first time a batch needs it.
    private final PreparedStatement[] bySize = new PreparedStatement[ROWS + 1];
    private final List<Row> pending = new ArrayList<>();

    MessageInserts(Connection db) {
        this.db = db;
    }

    /** Queues the insert of {@code m}; it runs at {@link #flush}. */
    void add(long topicId, Message m) {
        pending.add(new Row(topicId, m));
    }

    /** Inserts what was queued. */
    void flush() throws SQLException {
        for (int from = 0; from < pending.size(); from += ROWS) {
            List<Row> rows = pending.subList(from, Math.min(pending.size(), from + ROWS));
            PreparedStatement insert = statement(rows.size());
            int at = 1;
            for (Row r : rows) {
                Message m = r.message();
                insert.setLong(at++, r.topicId());
                insert.setLong(at++, m.offset());
                insert.setLong(at++, m.timeMillis());
                insert.setString(at++, m.contentType());
                insert.setBytes(at++, m.payload());
                insert.setBytes(at++, HeaderCodec.encode(m.headers()));
            }
            insert.executeUpdate();
        }
        pending.clear();
    }

    /** Forgets what was queued (the transaction is rolled back). */
    void clear() {
        pending.clear();
    }

    private PreparedStatement statement(int rows) throws SQLException {
        if (bySize[rows] == null) {
            StringBuilder sql = new StringBuilder("INSERT INTO messages (topic_id, seq, time_ms, content_type, payload, headers) VALUES ");
            for (int i = 0; i < rows; i++) {
                sql.append(i == 0 ? "(?, ?, ?, ?, ?, ?)" : ", (?, ?, ?, ?, ?, ?)");
            }
            bySize[rows] = db.prepareStatement(sql.toString());
        }
        return bySize[rows];
    }
}
