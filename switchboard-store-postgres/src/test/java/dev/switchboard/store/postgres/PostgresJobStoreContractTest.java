package dev.switchboard.store.postgres;

import dev.switchboard.core.store.LogStore;
import dev.switchboard.core.store.StoreMetrics;
import dev.switchboard.store.tck.JobStoreContract;
import dev.switchboard.store.tck.MutableClock;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The job store contract on the real PostgreSQL; each test directory maps to its own schema. */
final class PostgresJobStoreContractTest extends JobStoreContract {

    @BeforeAll
    static void requirePostgres() {
        TestDatabase.requireReachable();
    }

    @AfterAll
    static void dropSchemas() throws SQLException {
        TestDatabase.dropCreated();
    }

    @Override
    protected LogStore open(Path dir, MutableClock clock, Duration idempotencyTtl) {
        return PostgresLogStore.open(TestDatabase.forDirectory(dir), PoolOptions.DEFAULTS, clock, idempotencyTtl, StoreMetrics.NONE);
    }
}
