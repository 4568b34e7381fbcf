package dev.switchboard.store.sqlite;

import dev.switchboard.core.store.LogStore;
import dev.switchboard.core.store.StoreMetrics;
import dev.switchboard.store.tck.JobStoreContract;
import dev.switchboard.store.tck.MutableClock;
import java.nio.file.Path;
import java.time.Duration;

final class SqliteJobStoreContractTest extends JobStoreContract {

    @Override
    protected LogStore open(Path dir, MutableClock clock, Duration idempotencyTtl) {
        return SqliteLogStore.open(dir, clock, idempotencyTtl, StoreMetrics.NONE);
    }
}
