package dev.switchboard.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.store.StoreMetrics;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

final class SchemaTest {

    @BeforeAll
    static void requirePostgres() {
        TestDatabase.requireReachable();
    }

    @AfterAll
    static void dropSchemas() throws SQLException {
        TestDatabase.dropCreated();
    }

    @Test
    void migratingTwiceRunsEachMigrationOnceAndKeepsTheEpoch() throws SQLException {
        PostgresTarget target = TestDatabase.fresh();
        try (Connection c = TestDatabase.connect(target)) {
            assertThat(Schema.migrate(c, target.schema())).isEqualTo(Schema.VERSION);
            String epoch = Schema.epoch(c);

            assertThat(Schema.migrate(c, target.schema())).isZero();

            assertThat(Schema.epoch(c)).isEqualTo(epoch);
            assertThat(versions(c)).containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, Schema.VERSION).boxed().toList());
        }
    }

    @Test
    void aVersionTwoSchemaGainsJobsAndKeepsItsEpoch() throws SQLException {
        PostgresTarget target = TestDatabase.fresh();
        try (Connection c = TestDatabase.connect(target)) {
            Schema.migrate(c, target.schema());
            String epoch = Schema.epoch(c);
            try (Statement s = c.createStatement()) {
                s.execute("DROP TABLE jobs");
                s.execute("DELETE FROM schema_version WHERE version = 3");
            }

            assertThat(Schema.migrate(c, target.schema())).isEqualTo(1);

            assertThat(Schema.epoch(c)).isEqualTo(epoch);
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM jobs")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isZero();
            }
        }
    }

    @Test
    void nodesStartingTogetherOnANewSchemaAgreeOnOneEpoch() {
        PostgresTarget target = TestDatabase.fresh();
        List<CompletableFuture<PostgresLogStore>> starting = List.of(1, 2, 3).stream()
                .map(i -> CompletableFuture.supplyAsync(() -> PostgresLogStore.open(target, PoolOptions.DEFAULTS.withSize(2),
                        Clock.systemUTC(), Duration.ofMinutes(5), StoreMetrics.NONE)))
                .toList();
        List<PostgresLogStore> nodes = starting.stream().map(CompletableFuture::join).toList();
        try {
            assertThat(nodes).extracting(PostgresLogStore::epoch).containsOnly(nodes.getFirst().epoch());
        } finally {
            nodes.forEach(PostgresLogStore::close);
        }
    }

    private static List<Integer> versions(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT version FROM schema_version ORDER BY version")) {
            List<Integer> versions = new java.util.ArrayList<>();
            while (rs.next()) {
                versions.add(rs.getInt(1));
            }
            return versions;
        }
    }
}
