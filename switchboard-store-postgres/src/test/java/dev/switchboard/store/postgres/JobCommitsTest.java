package dev.switchboard.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.error.ErrorCode;
import dev.switchboard.core.error.SwitchboardException;
import dev.switchboard.core.store.JobClaim;
import dev.switchboard.core.store.JobDraft;
import dev.switchboard.core.store.JobState;
import dev.switchboard.core.store.Submitted;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Job writes share commits ({@link JobCommits}): a refused write in a batch (a forged lease) is answered
 * with its refusal while the writes beside it in the same batch are committed; the completes and the
 * submits that share one bulk statement are each answered as they would be alone (a second complete of
 * one job refused, a taken idempotency key answered with the job that holds it).
 */
final class JobCommitsTest extends NodesFixture {
    private static final int JOBS = 200;

    @Test
    void refusalsInABatchLeaveTheOtherWritesOfItCommitted() throws Exception {
        PostgresLogStore store = node(TestDatabase.fresh(), PoolOptions.DEFAULTS.size());
        for (int i = 0; i < JOBS; i++) {
            store.jobs().submit(new JobDraft("mixed", "text/plain", new byte[0], 1, 60_000, 0, null), System.currentTimeMillis());
        }
        List<JobClaim> claims = store.jobs().claim("mixed", JOBS, 30_000, System.currentTimeMillis());
        assertThat(claims).hasSize(JOBS);
        ConcurrentHashMap<String, String> outcomes = new ConcurrentHashMap<>();
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < JOBS; i++) {
                JobClaim c = claims.get(i);
                boolean forged = i % 2 == 1;
                done.add(callers.submit(() -> {
                    start.await(); // all at once, so that they share batches
                    try {
                        store.jobs().complete(c.job().id(), forged ? "forged" : c.lease(), "text/plain", new byte[0], System.currentTimeMillis());
                        outcomes.put(c.job().id(), "completed");
                    } catch (SwitchboardException e) {
                        outcomes.put(c.job().id(), e.code().name());
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        }
        for (int i = 0; i < JOBS; i++) {
            String id = claims.get(i).job().id();
            boolean forged = i % 2 == 1;
            assertThat(outcomes.get(id)).as("job %d", i).isEqualTo(forged ? ErrorCode.LEASE_NOT_HELD.name() : "completed");
            assertThat(store.jobs().get(id).state()).isEqualTo(forged ? JobState.RUNNING : JobState.SUCCEEDED);
        }
    }

    @Test
    void aJobCompletedManyTimesAtOnceSucceedsOnceAndTheOtherCompletesAreRefused() throws Exception {
        PostgresLogStore store = node(TestDatabase.fresh(), PoolOptions.DEFAULTS.size());
        store.jobs().submit(new JobDraft("twice", "text/plain", new byte[0], 1, 60_000, 0, null), System.currentTimeMillis());
        JobClaim claim = store.jobs().claim("twice", 1, 30_000, System.currentTimeMillis()).getFirst();
        ConcurrentHashMap<Integer, String> outcomes = new ConcurrentHashMap<>();
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                int caller = i;
                done.add(callers.submit(() -> {
                    start.await(); // at once, so that several land in one batch's bulk statement
                    try {
                        store.jobs().complete(claim.job().id(), claim.lease(), "text/plain", ("by " + caller).getBytes(), System.currentTimeMillis());
                        outcomes.put(caller, "completed");
                    } catch (SwitchboardException e) {
                        outcomes.put(caller, e.code().name());
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        }
        assertThat(outcomes.values()).hasSize(20).containsOnly("completed", ErrorCode.LEASE_NOT_HELD.name());
        List<Integer> winners = outcomes.entrySet().stream().filter(e -> e.getValue().equals("completed")).map(e -> e.getKey()).toList();
        assertThat(winners).hasSize(1);
        var job = store.jobs().get(claim.job().id());
        assertThat(job.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(new String(job.result())).as("the result is the one complete that was answered as done").isEqualTo("by " + winners.getFirst());
    }

    @Test
    void submitsSharingAnIdempotencyKeyAtOnceMakeOneJobAndAllGetIt() throws Exception {
        PostgresLogStore store = node(TestDatabase.fresh(), PoolOptions.DEFAULTS.size());
        List<Submitted> answers = new java.util.concurrent.CopyOnWriteArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                done.add(callers.submit(() -> {
                    start.await(); // at once, so that several share one batch's insert
                    answers.add(store.jobs().submit(new JobDraft("keyed", "text/plain", new byte[0], 1, 60_000, 0, "order-42"),
                            System.currentTimeMillis()));
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        }
        assertThat(answers).hasSize(20);
        assertThat(answers).filteredOn(Submitted::created).hasSize(1);
        assertThat(answers).extracting(a -> a.job().id()).containsOnly(answers.getFirst().job().id());
        assertThat(store.jobs().counts()).isEqualTo(Map.of("keyed", Map.of(JobState.QUEUED, 1L)));
    }
}
