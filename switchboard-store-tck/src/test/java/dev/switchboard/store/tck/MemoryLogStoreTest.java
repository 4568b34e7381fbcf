package dev.switchboard.store.tck;

import dev.switchboard.core.store.LogStore;
import dev.switchboard.core.store.memory.MemoryLogStore;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The contract against the memory store. It lives here rather than in core because the suite depends
 * on core: a test dependency the other way would be a cycle.
 */
final class MemoryLogStoreTest extends LogStoreContract {

    @Override
    protected LogStore open(Path dir, MutableClock clock, Duration idempotencyTtl) {
        return new MemoryLogStore(clock, idempotencyTtl);
    }

    @Override
    protected boolean durable() {
        return false;
    }
}
