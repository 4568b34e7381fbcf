package dev.switchboard.store.postgres;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The machine's real PostgreSQL, a schema per test. Unreachable PostgreSQL fails the tests (never
 * skips them) with a message saying how to start it. {@code SWITCHBOARD_TEST_POSTGRES_URL} overrides
 * the default URL.
 */
final class TestDatabase {
    static final String URL = System.getenv().getOrDefault("SWITCHBOARD_TEST_POSTGRES_URL",
            "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
    private static final Set<String> CREATED = ConcurrentHashMap.newKeySet();
    // Held so the level sticks: HikariCP's start/stop lines for every test's pool drown the output.
    private static final Logger HIKARI = Logger.getLogger("com.zaxxer.hikari");

    static {
        HIKARI.setLevel(Level.WARNING);
    }

    private TestDatabase() {}

    /** The same schema for the same directory, so reopening a directory is a restart. */
    static PostgresTarget forDirectory(Path dir) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(dir.toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8));
            return target("sbt_" + HexFormat.of().formatHex(hash, 0, 10));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    static PostgresTarget fresh() {
        return target("sbt_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20));
    }

    private static PostgresTarget target(String schema) {
        CREATED.add(schema);
        return PostgresTarget.of(URL, schema);
    }

    /** Fails with how to fix it when PostgreSQL does not answer. */
    static void requireReachable() {
        try (Connection c = DriverManager.getConnection(URL)) {
            c.isValid(2);
        } catch (SQLException e) {
            throw new AssertionError("PostgreSQL is not reachable at " + URL + " (" + e.getMessage() + "). These tests need "
                    + "the real database and fail rather than skip: start it with `pg_ctlcluster --skip-systemctl-redirect "
                    + "15 main start` (.ci/run does) or set SWITCHBOARD_TEST_POSTGRES_URL.", e);
        }
    }

    /** Drops every schema this JVM's tests created. */
    static void dropCreated() throws SQLException {
        try (Connection c = DriverManager.getConnection(URL); Statement s = c.createStatement()) {
            for (String schema : CREATED) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
        CREATED.clear();
    }

    static Connection connect(PostgresTarget target) throws SQLException {
        Connection c = DriverManager.getConnection(URL);
        try (Statement s = c.createStatement()) {
            s.execute("SET search_path TO " + target.schema());
        }
        return c;
    }
}
