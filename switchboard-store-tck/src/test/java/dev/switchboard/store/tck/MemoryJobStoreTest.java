package dev.switchboard.store.tck;

import dev.switchboard.core.store.LogStore;
import dev.switchboard.core.store.memory.MemoryLogStore;
import java.nio.file.Path;
import java.time.Duration;

final class MemoryJobStoreTest extends JobStoreContract {

    @Override
    protected LogStore open(Path dir, MutableClock clock, Duration idempotencyTtl) {
        return new MemoryLogStore(clock, idempotencyTtl);
    }

    @Override
    protected boolean durable() {
        return false;
    }
}
