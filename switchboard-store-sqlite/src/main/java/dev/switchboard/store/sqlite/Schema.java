package dev.switchboard.store.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * The database layout: version 1 is created with the database, later versions are migrations run
 * in order at open, each in the transaction that records it, so an open upgrades an older file
 * entirely or not at all. Version 1:
 * <ul>
 *   <li>{@code meta}: the schema version and the epoch, a random UUID that names this data.
 *   <li>{@code topics}: each topic's highest offset ever given, so offsets are never reused even
 *       when retention deletes every message.
 *   <li>{@code messages}: keyed by (topic, offset), so a read is one range scan. {@code seq} is the
 *       offset (OFFSET is an SQL keyword). A rowid table rather than WITHOUT ROWID because payloads
 *       of up to a megabyte are the large rows SQLite advises keeping out of WITHOUT ROWID tables.
 *   <li>{@code idempotency_keys}: the first result of each keyed append, pruned by time.
 * </ul>
 * Version 2, consumer groups:
 * <ul>
 *   <li>{@code consumer_groups}: per (topic name, group) the committed and delivered marks. Keyed by
 *       the topic's name, not its row, because a group may exist before its topic has a message.
 *   <li>{@code group_pending}: per (group, offset) delivered and not acknowledged, with its attempts,
 *       lease token and deadline, redelivery time and last error. Its key is the range a lease or an
 *       ack scans.
 * </ul>
 */
final class Schema {
    static final int VERSION = 3;

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

    /** Migration to version {@code i + 2} at index {@code i}. */
    private static final String[][] MIGRATIONS = {
        {
            """
            CREATE TABLE consumer_groups (id INTEGER PRIMARY KEY, topic TEXT NOT NULL, name TEXT NOT NULL,
                committed INTEGER NOT NULL, delivered INTEGER NOT NULL, UNIQUE (topic, name))""",
            """
            CREATE TABLE group_pending (group_id INTEGER NOT NULL, seq INTEGER NOT NULL, attempts INTEGER NOT NULL,
                lease TEXT, lease_until INTEGER NOT NULL, available_at INTEGER NOT NULL, last_error TEXT,
                PRIMARY KEY (group_id, seq)) WITHOUT ROWID""",
        },
        {
            """
            CREATE TABLE jobs (id TEXT PRIMARY KEY, type TEXT NOT NULL, state TEXT NOT NULL, attempt INTEGER NOT NULL,
                max_attempts INTEGER NOT NULL, timeout_ms INTEGER NOT NULL, run_at_ms INTEGER NOT NULL,
                created_ms INTEGER NOT NULL, updated_ms INTEGER NOT NULL, started_ms INTEGER NOT NULL, content_type TEXT,
                payload BLOB NOT NULL,
                progress_percent INTEGER NOT NULL, progress_message TEXT, result_type TEXT, result BLOB, error TEXT,
                cancel_requested INTEGER NOT NULL, version INTEGER NOT NULL, lease TEXT, lease_ms INTEGER,
                lease_until_ms INTEGER, idempotency_key TEXT)""",
            // Partial indexes, one per state a query looks for: a change of state moves a job between two
            // small indexes instead of rewriting an entry in each of three. The claim's ORDER BY is its
            // index's order (id last), so a claim reads one entry.
            "CREATE INDEX jobs_to_claim ON jobs (type, run_at_ms, created_ms, id) WHERE state = 'queued'",
            "CREATE INDEX jobs_to_expire ON jobs (lease_until_ms) WHERE state = 'running'",
            "CREATE INDEX jobs_to_purge ON jobs (updated_ms) WHERE state IN ('succeeded', 'failed', 'cancelled')",
            "CREATE UNIQUE INDEX jobs_by_key ON jobs (type, idempotency_key) WHERE idempotency_key IS NOT NULL",
        },
    };

    private Schema() {}

    /** Creates the tables in a new database or checks the version of an existing one; returns the epoch. */
    static String prepare(Connection db, String file) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute("BEGIN IMMEDIATE");
            try {
                String epoch = exists(db) ? check(db, file) : create(db);
                migrate(db);
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
            put.setString(2, "1");
            put.addBatch();
            put.setString(1, "epoch");
            put.setString(2, epoch);
            put.addBatch();
            put.executeBatch();
        }
        return epoch;
    }

    private static String check(Connection db, String file) throws SQLException {
        int version = version(db);
        if (version > VERSION) {
            throw new IllegalStateException("database " + file + " has schema version " + version
                    + " but this build reads up to version " + VERSION + ": run a newer Switchboard");
        }
        String epoch = meta(db, "epoch");
        if (epoch == null) {
            throw new IllegalStateException("database " + file + " has no epoch in its meta table");
        }
        return epoch;
    }

    /** Runs the migrations the file has not had yet, in the caller's transaction. */
    private static void migrate(Connection db) throws SQLException {
        int version = version(db);
        try (Statement s = db.createStatement()) {
            for (int next = version + 1; next <= VERSION; next++) {
                for (String ddl : MIGRATIONS[next - 2]) {
                    s.execute(ddl);
                }
            }
        }
        if (version < VERSION) {
            try (PreparedStatement put = db.prepareStatement("UPDATE meta SET value = ? WHERE name = 'schema_version'")) {
                put.setString(1, Integer.toString(VERSION));
                put.executeUpdate();
            }
        }
    }

    private static int version(Connection db) throws SQLException {
        String version = meta(db, "schema_version");
        try {
            return Integer.parseInt(version);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("the meta table's schema version is not a number: " + version, e);
        }
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
