package dev.switchboard.store.postgres;

import dev.switchboard.core.store.StoreMetrics;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * Several stores on one schema stand for several nodes: what the multi-node tests share. Every node
 * opened with {@link #node} is closed after its test; the schemas are dropped after the class.
 */
abstract class NodesFixture {
    private final List<PostgresLogStore> nodes = new ArrayList<>();

    @BeforeAll
    static void requirePostgres() {
        TestDatabase.requireReachable();
    }

    @AfterAll
    static void dropSchemas() throws SQLException {
        TestDatabase.dropCreated();
    }

    @AfterEach
    final void closeNodes() {
        nodes.forEach(PostgresLogStore::close);
        nodes.clear();
    }

    /** One more node on {@code target}, with a pool of {@code poolSize}. */
    final PostgresLogStore node(PostgresTarget target, int poolSize) {
        PostgresLogStore node = PostgresLogStore.open(target, PoolOptions.DEFAULTS.withSize(poolSize), Clock.systemUTC(), Duration.ofMinutes(5),
                StoreMetrics.NONE);
        nodes.add(node);
        return node;
    }
}
