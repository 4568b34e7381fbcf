package dev.switchboard.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Versioned migrations, run at every start. Each runs in its own transaction together with the row in
 * {@code schema_version} that records it, so a migration is applied entirely or not at all, and running
 * them again is a no-op. Nodes starting together take turns through a transaction-scoped advisory lock.
 *
 * <p>Version 1 (see docs/postgres.md):
 * <ul>
 *   <li>{@code meta}: the epoch, a random UUID written once when the schema is created.
 *   <li>{@code topics}: each topic's highest offset ever given. Its row is the per-topic counter the
 *       writer locks to give out offsets, which makes commits (and so visibility) follow offset order.
 *   <li>{@code messages}: keyed by (topic, offset) so a read is one index range scan.
 *   <li>{@code idempotency_keys}: the first result of each keyed append, pruned by time.
 * </ul>
 * Version 2, consumer groups:
 * <ul>
 *   <li>{@code consumer_groups}: per (topic name, group) the committed and delivered marks; the row
 *       every group write locks. Keyed by the topic's name: a group may exist before its topic does.
 *   <li>{@code group_pending}: per (group, offset) delivered and not acknowledged, with its attempts,
 *       lease token and deadline, redelivery time and last error.
 * </ul>
 * Version 3, async jobs:
 * <ul>
 *   <li>{@code jobs}: one row per job, keyed by its {@link dev.switchboard.core.store.JobIds} id, with the
 *       current lease (token, the claim's lease time a heartbeat extends by, deadline) and the optional
 *       idempotency key (unique per type). Partial indexes, one per state a query looks for: the claim
 *       (due queued jobs of a type, oldest first), lease expiry (running) and the purge (finished), so
 *       a change of state moves a job between two small indexes.
 * </ul>
 */
final class Schema {

    private record Migration(int version, List<String> statements) {}

    private static final List<Migration> MIGRATIONS = List.of(
            new Migration(1, List.of(
                    "CREATE TABLE meta (name text PRIMARY KEY, value text NOT NULL)",
                    "INSERT INTO meta (name, value) VALUES ('epoch', gen_random_uuid()::text)",
                    "CREATE TABLE topics (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL UNIQUE,"
                            + " last_offset bigint NOT NULL)",
                    """
                    CREATE TABLE messages (topic_id bigint NOT NULL REFERENCES topics (id), seq bigint NOT NULL,
                        time_ms bigint NOT NULL, content_type text, payload bytea NOT NULL, headers bytea,
                        PRIMARY KEY (topic_id, seq))""",
                    """
                    CREATE TABLE idempotency_keys (topic_id bigint NOT NULL REFERENCES topics (id),
                        idempotency_key text NOT NULL, first_offset bigint NOT NULL, last_offset bigint NOT NULL,
                        time_ms bigint NOT NULL, PRIMARY KEY (topic_id, idempotency_key))""",
                    "CREATE INDEX idempotency_keys_by_time ON idempotency_keys (time_ms)")),
            new Migration(2, List.of(
                    """
                    CREATE TABLE consumer_groups (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, topic text NOT NULL,
                        name text NOT NULL, committed bigint NOT NULL, delivered bigint NOT NULL, UNIQUE (topic, name))""",
                    """
                    CREATE TABLE group_pending (group_id bigint NOT NULL REFERENCES consumer_groups (id), seq bigint NOT NULL,
                        attempts int NOT NULL, lease text, lease_until bigint NOT NULL, available_at bigint NOT NULL,
                        last_error text, PRIMARY KEY (group_id, seq))""")),
            new Migration(3, List.of(
                    """
                    CREATE TABLE jobs (id text PRIMARY KEY, type text NOT NULL, state text NOT NULL, attempt int NOT NULL,
                        max_attempts int NOT NULL, timeout_ms bigint NOT NULL, run_at_ms bigint NOT NULL, created_ms bigint NOT NULL,
                        updated_ms bigint NOT NULL, started_ms bigint NOT NULL, content_type text, payload bytea NOT NULL,
                        progress_percent int NOT NULL, progress_message text, result_type text, result bytea, error text,
                        cancel_requested boolean NOT NULL, version bigint NOT NULL, lease text, lease_ms bigint,
                        lease_until_ms bigint, idempotency_key text)""",
                    "CREATE INDEX jobs_to_claim ON jobs (type, run_at_ms, created_ms, id) WHERE state = 'queued'",
                    "CREATE INDEX jobs_to_expire ON jobs (lease_until_ms) WHERE state = 'running'",
                    "CREATE INDEX jobs_to_purge ON jobs (updated_ms) WHERE state IN ('succeeded', 'failed', 'cancelled')",
                    "CREATE UNIQUE INDEX jobs_by_key ON jobs (type, idempotency_key) WHERE idempotency_key IS NOT NULL")));

    /** The newest version this build knows. */
    static final int VERSION = MIGRATIONS.getLast().version();

    // Any constant shared by all Switchboard nodes; "SWBD" in ASCII.
    private static final long LOCK = 0x53574244L;

    private Schema() {}

    /** Brings {@code schema} up to {@link #VERSION}; returns how many migrations ran. */
    static int migrate(Connection c, String schema) throws SQLException {
        c.setAutoCommit(false);
        try {
            inTransaction(c, s -> {
                s.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
                s.execute("CREATE TABLE IF NOT EXISTS " + schema + ".schema_version (version int PRIMARY KEY,"
                        + " applied_at timestamptz NOT NULL DEFAULT now())");
            });
            int ran = 0;
            for (Migration m : MIGRATIONS) {
                boolean[] applied = {false};
                inTransaction(c, s -> {
                    int current = current(c, schema);
                    if (current > VERSION) {
                        throw new IllegalStateException("schema " + schema + " is at version " + current
                                + " but this build knows only up to " + VERSION + ": run a newer Switchboard");
                    }
                    if (current < m.version()) {
                        s.execute("SET LOCAL search_path TO " + schema);
                        for (String sql : m.statements()) {
                            s.execute(sql);
                        }
                        s.execute("INSERT INTO schema_version (version) VALUES (" + m.version() + ")");
                        applied[0] = true;
                    }
                });
                ran += applied[0] ? 1 : 0;
            }
            return ran;
        } finally {
            c.setAutoCommit(true);
        }
    }

    static String epoch(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT value FROM meta WHERE name = 'epoch'")) {
            if (!rs.next()) {
                throw new IllegalStateException("the meta table has no epoch");
            }
            return rs.getString(1);
        }
    }

    private interface Step {
        void run(Statement s) throws SQLException;
    }

    private static void inTransaction(Connection c, Step step) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_advisory_xact_lock(" + LOCK + ")");
            step.run(s);
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        }
    }

    private static int current(Connection c, String schema) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT coalesce(max(version), 0) FROM " + schema + ".schema_version");
             ResultSet rs = q.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
