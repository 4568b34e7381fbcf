package dev.switchboard.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.store.JobClaim;
import dev.switchboard.core.store.JobDraft;
import dev.switchboard.core.store.JobState;
import dev.switchboard.core.store.JobStore;
import dev.switchboard.core.store.StoreMetrics;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Threads each loop submit → claim → complete, as a server with in-process no-op handlers would, and
 * the rate is printed: a measurement, not a timed assertion (the machine may be shared). Every call
 * waits for its commit's fsync, so the threads are what lets group commit share one fsync among many
 * calls. Checks only that every job succeeded.
 */
final class JobThroughputTest {
    private static final int JOBS = 60_000;
    // A server's in-flight requests and handlers: each call waits about one commit, so a group commit
    // is only as large as the number of callers waiting on it.
    private static final int THREADS = 256;

    @TempDir
    Path dir;

    @Test
    void threadsSubmitClaimAndCompleteJobs() throws Exception {
        try (SqliteLogStore store = SqliteLogStore.open(dir, Clock.systemUTC(), Duration.ofHours(1), StoreMetrics.NONE)) {
            JobStore jobs = store.jobs();
            AtomicInteger left = new AtomicInteger(JOBS);
            byte[] payload = "{\"n\":1}".getBytes();
            long started = System.nanoTime();
            try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    done.add(threads.submit(() -> {
                        while (left.getAndDecrement() > 0) {
                            jobs.submit(new JobDraft("noop", "application/json", payload, 3, 30_000, 0, null), System.currentTimeMillis());
                            JobClaim c = jobs.claim("noop", 1, 30_000, System.currentTimeMillis()).getFirst();
                            jobs.complete(c.job().id(), c.lease(), "application/json", payload, System.currentTimeMillis());
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get(300, TimeUnit.SECONDS);
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("SQLite jobs: %d jobs submitted, claimed and completed by %d threads in %.2fs: %.0f jobs/s%n", JOBS, THREADS,
                    seconds, JOBS / seconds);
            assertThat(jobs.counts()).isEqualTo(Map.of("noop", Map.of(JobState.SUCCEEDED, (long) JOBS)));
        }
    }
}
