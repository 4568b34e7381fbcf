package dev.switchboard.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.store.JobClaim;
import dev.switchboard.core.store.JobDraft;
import dev.switchboard.core.store.JobState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Two stores on one schema stand for two nodes whose workers of one type claim from one queue while
 * jobs keep arriving: no job is claimed twice, none is lost. Prints the rate (a measurement, not an
 * assertion).
 */
final class JobsAcrossNodesTest extends NodesFixture {
    private static final int JOBS = 5_000;
    private static final int WORKERS_PER_NODE = 4;

    @Test
    void workersOnTwoNodesClaimEachJobExactlyOnce() throws Exception {
        PostgresTarget target = TestDatabase.fresh();
        PostgresLogStore a = node(target, PoolOptions.DEFAULTS.size());
        PostgresLogStore b = node(target, PoolOptions.DEFAULTS.size());
        Set<String> claimed = ConcurrentHashMap.newKeySet();
        AtomicInteger duplicates = new AtomicInteger();
        AtomicInteger toSubmit = new AtomicInteger(JOBS);
        AtomicInteger completed = new AtomicInteger();
        long started = System.nanoTime();
        try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 2 * WORKERS_PER_NODE; t++) {
                PostgresLogStore node = t % 2 == 0 ? a : b;
                done.add(workers.submit(() -> {
                    while (completed.get() < JOBS) {
                        if (toSubmit.getAndDecrement() > 0) {
                            node.jobs().submit(new JobDraft("work", "text/plain", new byte[100], 1, 60_000, 0, null), System.currentTimeMillis());
                        }
                        List<JobClaim> claims = node.jobs().claim("work", 1, 30_000, System.currentTimeMillis());
                        if (claims.isEmpty()) {
                            continue;
                        }
                        JobClaim c = claims.getFirst();
                        if (!claimed.add(c.job().id())) {
                            duplicates.incrementAndGet();
                        }
                        node.jobs().complete(c.job().id(), c.lease(), "text/plain", new byte[0], System.currentTimeMillis());
                        completed.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("PostgreSQL jobs: %d jobs submitted, claimed and completed by %d workers on 2 nodes in %.2fs: %.0f jobs/s%n",
                completed.get(), 2 * WORKERS_PER_NODE, seconds, completed.get() / seconds);
        assertThat(duplicates.get()).as("no job claimed twice").isZero();
        assertThat(claimed).hasSize(JOBS);
        assertThat(b.jobs().counts()).isEqualTo(Map.of("work", Map.of(JobState.SUCCEEDED, (long) JOBS)));
    }

}
