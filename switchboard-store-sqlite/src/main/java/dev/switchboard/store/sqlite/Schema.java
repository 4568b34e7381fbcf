package dev.switchboard.store.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * The database layout, created with the database and checked on every open. Version 1:
 * <ul>
 *   <li>{@code meta}: the schema version and the epoch, a random UUID that names this data.
 *   <li>{@code topics}: each topic's highest offset ever given, so offsets are never reused even
 *       when retention deletes every message.
 *   <li>{@code messages}: keyed by (topic, offset), so a read is one range scan. {@code seq} is the
 *       offset (OFFSET is an SQL keyword). A rowid table rather than WITHOUT ROWID because payloads
 *       of up to a megabyte are the large rows SQLite advises keeping out of WITHOUT ROWID tables.
 *   <li>{@code idempotency_keys}: the first result of each keyed append, pruned by time.
 * </ul>
 */
final class Schema {
    static final int VERSION = 1;

    private static final String[] CREATE = {
        "CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
        "CREATE TABLE topics (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, last_offset INTEGER NOT NULL)",
        """
        CREATE TABLE messages (topic_id INTEGER NOT NULL, seq INTEGER NOT NULL, time_ms INTEGER NOT NULL,
            content_type TEXT, payload BLOB NOT NULL, headers BLOB, PRIMARY KEY (topic_id, seq))""",
        """
        CREATE TABLE idempotency_keys (topic_id INTEGER NOT NULL, idempotency_key TEXT NOT NULL,
            first_offset INTEGER NOT NULL, last_offset INTEGER NOT NULL, time_ms INTEGER NOT NULL,
            PRIMARY KEY (topic_id, idempotency_key)) WITHOUT ROWID""",
        "CREATE INDEX idempotency_keys_by_time ON idempotency_keys (time_ms)",
    };

    private Schema() {}

    /** Creates the tables in a new database or checks the version of an existing one; returns the epoch. */
    static String prepare(Connection db, String file) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute("BEGIN IMMEDIATE");
            try {
                String epoch = exists(db) ? check(db, file) : create(db);
                s.execute("COMMIT");
                return epoch;
            } catch (SQLException | RuntimeException e) {
                s.execute("ROLLBACK");
                throw e;
            }
        }
    }

    private static boolean exists(Connection db) throws SQLException {
        try (Statement s = db.createStatement();
             ResultSet rs = s.executeQuery("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'")) {
            return rs.next();
        }
    }

    private static String create(Connection db) throws SQLException {
        String epoch = UUID.randomUUID().toString();
        try (Statement s = db.createStatement()) {
            for (String ddl : CREATE) {
                s.execute(ddl);
            }
        }
        try (PreparedStatement put = db.prepareStatement("INSERT INTO meta (name, value) VALUES (?, ?)")) {
            put.setString(1, "schema_version");
            put.setString(2, Integer.toString(VERSION));
            put.addBatch();
            put.setString(1, "epoch");
            put.setString(2, epoch);
            put.addBatch();
            put.executeBatch();
        }
        return epoch;
    }

    private static String check(Connection db, String file) throws SQLException {
        String version = meta(db, "schema_version");
        if (!Integer.toString(VERSION).equals(version)) {
            throw new IllegalStateException("database " + file + " has schema version " + version
                    + " but this build reads version " + VERSION);
        }
        String epoch = meta(db, "epoch");
        if (epoch == null) {
            throw new IllegalStateException("database " + file + " has no epoch in its meta table");
        }
        return epoch;
    }

    private static String meta(Connection db, String name) throws SQLException {
        try (PreparedStatement get = db.prepareStatement("SELECT value FROM meta WHERE name = ?")) {
            get.setString(1, name);
            try (ResultSet rs = get.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
