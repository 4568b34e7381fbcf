package dev.switchboard.store.sqlite;

import dev.switchboard.core.message.Message;
import dev.switchboard.core.store.Retention;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one connection that writes, with its prepared statements. Only the writer thread touches it, so
 * it needs no locking. Transactions are begun and ended explicitly (autocommit stays on) so that
 * {@code PRAGMA synchronous} can be changed between them.
 */
final class WriteConnection implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(WriteConnection.class.getName());

    /** A topic's id and the highest offset given in it. */
    record TopicRow(long id, long last) {}

    /** The first result of a keyed append. */
    record KeyedResult(long first, long last, long timeMillis) {}

    private final Connection db;
    private final Statement plain;
    private final PreparedStatement selectTopic;
    private final PreparedStatement insertTopic;
    private final PreparedStatement insertReservedTopics;
    private final PreparedStatement updateTopics;
    private final MessageInserts messages;
    private final PreparedStatement selectKey;
    private final PreparedStatement upsertKey;
    private final PreparedStatement pruneKeys;
    private final PreparedStatement firstYoungEnough;
    private final PreparedStatement deleteBefore;
    private final PreparedStatement deleteMessages;
    private final PreparedStatement deleteKeys;
    private final PreparedStatement deleteTopic;
    // Prepared once: every job or group write runs under a savepoint, so these run tens of thousands of times a second
    private final PreparedStatement savepoint;
    private final PreparedStatement release;
    private final PreparedStatement rollbackTo;
    private boolean fullSync = true;

    WriteConnection(Connection db) throws SQLException {
        this.db = db;
        plain = db.createStatement();
        selectTopic = db.prepareStatement("SELECT id, last_offset FROM topics WHERE name = ?");
        insertTopic = db.prepareStatement("INSERT INTO topics (name, last_offset) VALUES (?, ?) ON CONFLICT (name) DO NOTHING RETURNING id");
        // Many rows per statement, given as one JSON array: a group commit touches a topic per job (its events),
        // and one statement for them all costs the writer less than one each.
        insertReservedTopics = db.prepareStatement("INSERT INTO topics (name, last_offset) SELECT value ->> 0, value ->> 1"
                + " FROM json_each(?) WHERE true ON CONFLICT (name) DO NOTHING RETURNING id, name");
        updateTopics = db.prepareStatement(
                "UPDATE topics SET last_offset = row.value ->> 1 FROM json_each(?) AS row WHERE topics.id = row.value ->> 0");
        messages = new MessageInserts(db);
        selectKey = db.prepareStatement("SELECT first_offset, last_offset, time_ms FROM idempotency_keys"
                + " WHERE topic_id = ? AND idempotency_key = ? AND time_ms >= ?");
        upsertKey = db.prepareStatement("INSERT OR REPLACE INTO idempotency_keys"
                + " (topic_id, idempotency_key, first_offset, last_offset, time_ms) VALUES (?, ?, ?, ?, ?)");
        pruneKeys = db.prepareStatement("DELETE FROM idempotency_keys WHERE time_ms < ?");
        firstYoungEnough = db.prepareStatement(
                "SELECT seq FROM messages WHERE topic_id = ? AND time_ms >= ? ORDER BY seq LIMIT 1");
        deleteBefore = db.prepareStatement("DELETE FROM messages WHERE topic_id = ? AND seq < ?");
        deleteMessages = db.prepareStatement("DELETE FROM messages WHERE topic_id = ?");
        deleteKeys = db.prepareStatement("DELETE FROM idempotency_keys WHERE topic_id = ?");
        deleteTopic = db.prepareStatement("DELETE FROM topics WHERE id = ?");
        savepoint = db.prepareStatement("SAVEPOINT work");
        release = db.prepareStatement("RELEASE work");
        rollbackTo = db.prepareStatement("ROLLBACK TO work");
    }

    /**
     * Begins a write transaction. {@code fsync} chooses {@code synchronous=FULL} (the WAL is synced at
     * commit) or {@code NORMAL} (synced only at checkpoints: a commit survives a process crash, not a
     * power loss).
     */
    void begin(boolean fsync) throws SQLException {
        if (fsync != fullSync) {
            plain.execute(fsync ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
            fullSync = fsync;
        }
        plain.execute("BEGIN IMMEDIATE");
    }

    void commit() throws SQLException {
        messages.flush();
        upsertKey.executeBatch();
        plain.execute("COMMIT");
    }

    /** Marks where one unit of work begins inside the transaction. */
    void savepoint() throws SQLException {
        savepoint.execute();
    }

    /** Keeps the unit of work in the transaction. */
    void release() throws SQLException {
        release.execute();
    }

    /** Undoes the unit of work and nothing before it. */
    void rollbackToSavepoint() throws SQLException {
        rollbackTo.execute();
        release.execute();
    }

    /** Ends the transaction without a trace; harmless when SQLite already rolled it back itself. */
    void rollback() {
        try {
            messages.clear();
            upsertKey.clearBatch();
            plain.execute("ROLLBACK");
        } catch (SQLException e) {
            LOG.log(Level.FINE, "rollback found no transaction (SQLite ends one itself on I/O errors)", e);
        }
    }

    /** The topic's row, or null when it has never had a message. */
    TopicRow topic(String name) throws SQLException {
        selectTopic.setString(1, name);
        try (ResultSet rs = selectTopic.executeQuery()) {
            return rs.next() ? new TopicRow(rs.getLong(1), rs.getLong(2)) : null;
        }
    }

    /**
     * Creates a topic whose last offset will be {@code last} once the messages being added are in: a new
     * topic then costs one statement, not an insert and an update. Returns its id, or -1 when the topic
     * exists already (nothing changed).
     */
    long createTopic(String name, long last) throws SQLException {
        insertTopic.setString(1, name);
        insertTopic.setLong(2, last);
        try (ResultSet rs = insertTopic.executeQuery()) {
            return rs.next() ? rs.getLong(1) : -1;
        }
    }

    /** Removes the topic, its messages and its idempotency keys. */
    void dropTopic(long topicId) throws SQLException {
        for (PreparedStatement delete : new PreparedStatement[] {deleteMessages, deleteKeys, deleteTopic}) {
            delete.setLong(1, topicId);
            delete.executeUpdate();
        }
    }

    /**
     * Creates the reserved topics of {@code lastByName} that do not exist yet, each with the last offset it
     * will have once the messages being added are in; returns the ids of those created, by name. Reserved
     * names need no escaping in JSON: their characters are letters, digits and {@code _.:/-}.
     */
    Map<String, Long> createReservedTopics(Map<String, Long> lastByName) throws SQLException {
        StringBuilder rows = new StringBuilder(lastByName.size() * 56).append('[');
        for (Map.Entry<String, Long> e : lastByName.entrySet()) {
            rows.append(rows.length() > 1 ? ",[\"" : "[\"").append(e.getKey()).append("\",").append(e.getValue()).append(']');
        }
        insertReservedTopics.setString(1, rows.append(']').toString());
        Map<String, Long> created = new HashMap<>();
        try (ResultSet rs = insertReservedTopics.executeQuery()) {
            while (rs.next()) {
                created.put(rs.getString(2), rs.getLong(1));
            }
        }
        return created;
    }

    /** Sets the last offset of every topic in {@code rows}, in one statement. */
    void setLast(Collection<TopicRow> rows) throws SQLException {
        StringBuilder json = new StringBuilder(rows.size() * 16).append('[');
        for (TopicRow row : rows) {
            json.append(json.length() > 1 ? ",[" : "[").append(row.id()).append(',').append(row.last()).append(']');
        }
        updateTopics.setString(1, json.append(']').toString());
        updateTopics.executeUpdate();
    }

    /** Queues the insert of {@code m}; the inserts run at {@link #commit()}. */
    void add(long topicId, Message m) {
        messages.add(topicId, m);
    }

    /** The remembered result of {@code key} if it was stored at or after {@code notBeforeMillis}. */
    KeyedResult key(long topicId, String key, long notBeforeMillis) throws SQLException {
        selectKey.setLong(1, topicId);
        selectKey.setString(2, key);
        selectKey.setLong(3, notBeforeMillis);
        try (ResultSet rs = selectKey.executeQuery()) {
            return rs.next() ? new KeyedResult(rs.getLong(1), rs.getLong(2), rs.getLong(3)) : null;
        }
    }

    /** Queues remembering {@code key}; replaces an expired entry not yet pruned. */
    void remember(long topicId, String key, KeyedResult result) throws SQLException {
        upsertKey.setLong(1, topicId);
        upsertKey.setString(2, key);
        upsertKey.setLong(3, result.first());
        upsertKey.setLong(4, result.last());
        upsertKey.setLong(5, result.timeMillis());
        upsertKey.addBatch();
    }

    /** Forgets keys stored before {@code beforeMillis}; its own transaction. */
    int pruneKeys(long beforeMillis) throws SQLException {
        pruneKeys.setLong(1, beforeMillis);
        return pruneKeys.executeUpdate();
    }

    /**
     * Deletes the oldest messages of a topic beyond its retention, in the caller's transaction. Both
     * limits cut a prefix: messages are contiguous from the oldest retained to {@code last}, and an
     * age limit keeps everything from the first message young enough, as the memory store does.
     */
    int trim(TopicRow row, Retention retention, long nowMillis) throws SQLException {
        long keepFrom = retention.maxMessages() > 0 ? row.last() - retention.maxMessages() + 1 : 0;
        if (!retention.maxAge().isZero()) {
            firstYoungEnough.setLong(1, row.id());
            firstYoungEnough.setLong(2, nowMillis - retention.maxAge().toMillis());
            try (ResultSet rs = firstYoungEnough.executeQuery()) {
                keepFrom = Math.max(keepFrom, rs.next() ? rs.getLong(1) : row.last() + 1);
            }
        }
        deleteBefore.setLong(1, row.id());
        deleteBefore.setLong(2, keepFrom);
        return deleteBefore.executeUpdate();
    }

    /** Moves the WAL into the database file and empties it, so a closed store is one file. */
    void checkpoint() throws SQLException {
        plain.execute("PRAGMA wal_checkpoint(TRUNCATE)");
    }

    @Override
    public void close() throws SQLException {
        db.close();
    }
}
