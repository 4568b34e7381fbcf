package dev.switchboard.store.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.error.ErrorCode;
import dev.switchboard.core.error.SwitchboardException;
import dev.switchboard.core.store.Job;
import dev.switchboard.core.store.JobClaim;
import dev.switchboard.core.store.JobDraft;
import dev.switchboard.core.store.JobState;
import dev.switchboard.core.store.JobStore;
import dev.switchboard.core.store.Submitted;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * What every store's {@link JobStore} must do: submit with idempotency keys (one job or a batch), claims
 * that never hand one job to two workers, leases that a stale token cannot use, retries, cancellation,
 * lease expiry, retention, and (for a durable store) all of it across a restart.
 *
 * <p>A little over 400 lines: it is the one contract each store's test runs, in sections by the SPI's
 * groups of calls; split into several classes, each store would need a test class per part.
 */
public abstract class JobStoreContract extends StoreFixture {
    private static final long TIMEOUT = 60_000;
    private static final long LEASE = 10_000;

    private JobStore jobs() {
        return store.jobs();
    }

    private Job submit(String type, int maxAttempts) {
        return submit(type, maxAttempts, 0, null).job();
    }

    private Submitted submit(String type, int maxAttempts, long runAt, String key) {
        return jobs().submit(new JobDraft(type, "application/json", "{\"n\":1}".getBytes(StandardCharsets.UTF_8), maxAttempts, TIMEOUT, runAt,
                key), clock.millis());
    }

    private static JobDraft draft(String type, int n, String key) {
        return new JobDraft(type, "application/json", ("{\"n\":" + n + "}").getBytes(StandardCharsets.UTF_8), 3, TIMEOUT, 0, key);
    }

    /** One job claimed, or null. */
    private JobClaim claim(String type) {
        List<JobClaim> claims = jobs().claim(type, 1, LEASE, clock.millis());
        assertThat(claims).as("a claim of one takes at most one").hasSizeLessThanOrEqualTo(1);
        return claims.isEmpty() ? null : claims.getFirst();
    }

    // ---- submit and read ----

    @Test
    void aSubmittedJobIsQueuedWithItsPayloadAndVersionOne() {
        Job job = submit("email", 3);

        assertThat(job.id()).hasSize(32);
        assertThat(job.state()).isEqualTo(JobState.QUEUED);
        assertThat(job.attempt()).isZero();
        assertThat(job.maxAttempts()).isEqualTo(3);
        assertThat(job.version()).isEqualTo(1);
        assertThat(job.createdMillis()).isEqualTo(clock.millis());
        Job read = jobs().get(job.id());
        assertThat(read.type()).isEqualTo("email");
        assertThat(read.contentType()).isEqualTo("application/json");
        assertThat(text(read.payload())).isEqualTo("{\"n\":1}");
        assertThat(read.timeoutMillis()).isEqualTo(TIMEOUT);
        assertThat(jobs().get("00000000000000000000000000000000")).isNull();
    }

    @Test
    void theSameIdempotencyKeyReturnsTheFirstJob() {
        Submitted first = submit("email", 3, 0, "order-7");
        Submitted again = submit("email", 3, 0, "order-7");
        Submitted other = submit("email", 3, 0, "order-8");

        assertThat(first.created()).isTrue();
        assertThat(again.created()).isFalse();
        assertThat(again.job().id()).isEqualTo(first.job().id());
        assertThat(other.job().id()).isNotEqualTo(first.job().id());
    }

    // ---- batch submit ----

    @Test
    void aBatchSubmitAnswersInDraftOrderAndEveryJobIsQueuedAndClaimable() {
        List<Submitted> batch = jobs().submitAll(List.of(draft("email", 1, null), draft("sms", 2, null), draft("email", 3, null)),
                clock.millis());

        assertThat(batch).extracting(s -> s.job().type()).containsExactly("email", "sms", "email");
        assertThat(batch).extracting(s -> text(s.job().payload())).containsExactly("{\"n\":1}", "{\"n\":2}", "{\"n\":3}");
        assertThat(batch).allSatisfy(s -> {
            assertThat(s.created()).isTrue();
            assertThat(s.job().state()).isEqualTo(JobState.QUEUED);
            assertThat(s.job().version()).isEqualTo(1);
            assertThat(jobs().get(s.job().id()).payload()).isEqualTo(s.job().payload());
        });
        assertThat(batch).extracting(s -> s.job().id()).doesNotHaveDuplicates();
        assertThat(jobs().claim("email", 10, LEASE, clock.millis())).extracting(c -> c.job().id())
                .containsExactlyInAnyOrder(batch.get(0).job().id(), batch.get(2).job().id());
        assertThat(jobs().claim("sms", 10, LEASE, clock.millis())).extracting(c -> c.job().id()).containsExactly(batch.get(1).job().id());
    }

    @Test
    void aBatchIsClaimedInDraftOrder() {
        List<JobDraft> drafts = new ArrayList<>();
        for (int n = 1; n <= 50; n++) {
            drafts.add(draft("email", n, null));
        }
        List<String> submitted = jobs().submitAll(drafts, clock.millis()).stream().map(s -> s.job().id()).toList();

        List<String> claimed = new ArrayList<>();
        for (JobClaim c; (c = claim("email")) != null; ) { // one at a time: each claim takes the oldest
            claimed.add(c.job().id());
        }
        assertThat(claimed).containsExactlyElementsOf(submitted);
    }

    @Test
    void aKeyRepeatedInABatchOrStoredBeforeAnswersTheFirstJob() {
        Submitted earlier = submit("email", 3, 0, "k1");

        List<Submitted> batch = jobs().submitAll(List.of(draft("email", 1, "k1"), draft("email", 2, "k2"), draft("email", 3, "k2"),
                draft("sms", 4, "k2")), clock.millis());
        List<Submitted> again = jobs().submitAll(List.of(draft("email", 5, "k2"), draft("email", 6, null)), clock.millis());

        assertThat(batch).extracting(Submitted::created).containsExactly(false, true, false, true);
        assertThat(batch.get(0).job().id()).as("stored before the batch").isEqualTo(earlier.job().id());
        assertThat(batch.get(2).job().id()).as("used earlier in the batch").isEqualTo(batch.get(1).job().id());
        assertThat(text(batch.get(2).job().payload())).isEqualTo("{\"n\":2}");
        assertThat(batch.get(3).job().id()).as("the same key for another type is another job").isNotEqualTo(batch.get(1).job().id());
        assertThat(again).extracting(Submitted::created).containsExactly(false, true);
        assertThat(again.get(0).job().id()).as("stored by an earlier batch").isEqualTo(batch.get(1).job().id());
        assertThat(jobs().claim("email", 10, LEASE, clock.millis())).as("one job per key, plus the unkeyed one").hasSize(3);
    }

    @Test
    void aBatchTheStoreRefusesPartWayStoresNoneOfIt() {
        // A store refuses a job without a type (the databases by their schema): the draft before it must be undone.
        List<JobDraft> drafts = List.of(draft("email", 1, "first"), draft(null, 2, null));

        assertThatThrownBy(() -> jobs().submitAll(drafts, clock.millis())).isInstanceOf(RuntimeException.class);

        assertThat(jobs().counts()).as("the first draft was undone with the second").isEmpty();
        assertThat(submit("email", 3, 0, "first").created()).as("its key is free").isTrue();
    }

    @Test
    void anEmptyBatchSubmitStoresNothing() {
        assertThat(jobs().submitAll(List.of(), clock.millis())).isEmpty();
        assertThat(jobs().counts()).isEmpty();
    }

    // ---- claiming ----

    @Test
    void aClaimTakesTheOldestDueJobOfItsTypeAndLeasesIt() {
        Job first = submit("email", 3);
        clock.advance(Duration.ofMillis(1));
        Job second = submit("email", 3);
        submit("sms", 3);

        JobClaim claim = claim("email");

        assertThat(claim.job().id()).isEqualTo(first.id());
        assertThat(claim.job().state()).isEqualTo(JobState.RUNNING);
        assertThat(claim.job().attempt()).isEqualTo(1);
        assertThat(claim.job().version()).isEqualTo(2);
        assertThat(claim.lease()).isNotBlank();
        assertThat(claim.leaseUntilMillis()).isEqualTo(clock.millis() + LEASE);
        assertThat(claim.job().startedMillis()).isEqualTo(clock.millis());
        assertThat(claim("email").job().id()).isEqualTo(second.id());
        assertThat(claim("email")).as("no more email jobs").isNull();
        assertThat(claim("fax")).isNull();
    }

    @Test
    void aBatchClaimTakesTheOldestDueJobsInOrderUpToItsMax() {
        List<Job> queued = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            queued.add(submit("email", 3));
            clock.advance(Duration.ofMillis(1));
        }
        submit("email", 3, clock.millis() + 5_000, null); // not due yet
        submit("sms", 3);

        List<JobClaim> first = jobs().claim("email", 3, LEASE, clock.millis());
        List<JobClaim> rest = jobs().claim("email", 10, LEASE, clock.millis());

        assertThat(first).extracting(c -> c.job().id()).containsExactly(queued.get(0).id(), queued.get(1).id(), queued.get(2).id());
        assertThat(rest).as("only the due one left, whatever the max").extracting(c -> c.job().id()).containsExactly(queued.get(3).id());
        assertThat(first).allSatisfy(c -> {
            assertThat(c.job().state()).isEqualTo(JobState.RUNNING);
            assertThat(c.job().attempt()).isEqualTo(1);
            assertThat(c.job().version()).isEqualTo(2);
            assertThat(c.leaseUntilMillis()).isEqualTo(clock.millis() + LEASE);
        });
        assertThat(jobs().claim("email", 10, LEASE, clock.millis())).isEmpty();
        assertThat(first).extracting(JobClaim::lease).as("one claim, one lease token").containsOnly(first.getFirst().lease());
        assertThat(rest.getFirst().lease()).as("another claim, another token").isNotEqualTo(first.getFirst().lease());
        JobClaim a = first.get(0);
        assertThat(jobs().complete(a.job().id(), a.lease(), "text/plain", new byte[0], clock.millis()).state())
                .isEqualTo(JobState.SUCCEEDED);
        JobClaim other = rest.getFirst();
        assertRefused(ErrorCode.LEASE_NOT_HELD, () -> jobs().complete(other.job().id(), a.lease(), "text/plain", new byte[0],
                clock.millis()));
        assertThat(jobs().complete(first.get(1).job().id(), first.get(1).lease(), "text/plain", new byte[0], clock.millis()).state())
                .as("a job claimed in a batch completes on its own, with the others still running").isEqualTo(JobState.SUCCEEDED);
        assertThat(jobs().get(first.get(2).job().id()).state()).isEqualTo(JobState.RUNNING);
    }

    @Test
    void aDelayedJobIsNotClaimedBeforeItsTime() {
        long runAt = clock.millis() + 5_000;
        Job later = submit("email", 3, runAt, null).job();

        assertThat(claim("email")).isNull();
        assertThat(jobs().nextDue("email")).isEqualTo(runAt);
        assertThat(jobs().nextDue("sms")).isEqualTo(Long.MAX_VALUE);
        clock.advance(Duration.ofMillis(5_000));
        assertThat(claim("email").job().id()).isEqualTo(later.id());
    }

    @Test
    void concurrentWorkersNeverClaimOneJobTwice() throws Exception {
        int total = 500;
        for (int i = 0; i < total; i++) {
            submit("work", 1);
        }
        Set<String> claimed = ConcurrentHashMap.newKeySet();
        AtomicInteger duplicates = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int max = 1 + t % 4; // single and batch claims race each other
                done.add(pool.submit(() -> {
                    start.await();
                    for (List<JobClaim> batch; !(batch = jobs().claim("work", max, LEASE, clock.millis())).isEmpty(); ) {
                        for (JobClaim c : batch) {
                            if (!claimed.add(c.job().id())) {
                                duplicates.incrementAndGet();
                            }
                            jobs().complete(c.job().id(), c.lease(), "text/plain", new byte[0], clock.millis());
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(PATIENCE.toSeconds() * 4, TimeUnit.SECONDS);
            }
        }
        assertThat(duplicates.get()).isZero();
        assertThat(claimed).hasSize(total);
        assertThat(jobs().counts()).isEqualTo(Map.of("work", Map.of(JobState.SUCCEEDED, (long) total)));
    }

    // ---- the worker's calls ----

    @Test
    void progressAndHeartbeatExtendTheLeaseAndCompleteStoresTheResult() {
        Job job = submit("email", 3);
        JobClaim c = claim("email");
        clock.advance(Duration.ofMillis(LEASE - 1));

        Job progressed = jobs().progress(job.id(), c.lease(), 40, "sending", clock.millis());
        assertThat(progressed.progressPercent()).isEqualTo(40);
        assertThat(progressed.progressMessage()).isEqualTo("sending");
        assertThat(progressed.version()).isEqualTo(3);
        clock.advance(Duration.ofMillis(LEASE - 1));
        assertThat(jobs().expireLeases(clock.millis())).as("progress extended the lease").isEmpty();
        jobs().heartbeat(job.id(), c.lease(), clock.millis());
        clock.advance(Duration.ofMillis(LEASE - 1));
        assertThat(jobs().expireLeases(clock.millis())).as("so did the heartbeat").isEmpty();

        Job done = jobs().complete(job.id(), c.lease(), "application/json", "{\"sent\":true}".getBytes(StandardCharsets.UTF_8), clock.millis());

        assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(done.resultType()).isEqualTo("application/json");
        assertThat(text(done.result())).isEqualTo("{\"sent\":true}");
        assertThat(jobs().get(job.id())).usingRecursiveComparison().isEqualTo(done);
    }

    @Test
    void heartbeatsCannotCarryAnAttemptPastItsTimeout() {
        Job job = submit("email", 1);
        JobClaim c = claim("email");
        for (long t = LEASE / 2; t < TIMEOUT; t += LEASE / 2) {
            clock.advance(Duration.ofMillis(LEASE / 2));
            jobs().heartbeat(job.id(), c.lease(), clock.millis());
        }
        assertThat(jobs().expireLeases(clock.millis() - 1)).as("still inside the timeout").isEmpty();
        clock.advance(Duration.ofMillis(LEASE / 2));

        assertThat(jobs().expireLeases(clock.millis())).singleElement().satisfies(j -> {
            assertThat(j.state()).isEqualTo(JobState.FAILED);
            assertThat(j.error()).contains("timeout");
        });
    }

    @Test
    void aSpentForeignOrUnknownLeaseIsRefusedAndChangesNothing() {
        Job job = submit("email", 3);
        JobClaim c = claim("email");
        jobs().complete(job.id(), c.lease(), "text/plain", "ok".getBytes(StandardCharsets.UTF_8), clock.millis());
        Job other = submit("email", 3);
        JobClaim running = claim("email");

        assertRefused(ErrorCode.LEASE_NOT_HELD, () -> jobs().complete(job.id(), c.lease(), "text/plain", new byte[0], clock.millis()));
        assertRefused(ErrorCode.LEASE_NOT_HELD, () -> jobs().heartbeat(other.id(), c.lease(), clock.millis()));
        assertRefused(ErrorCode.LEASE_NOT_HELD, () -> jobs().fail(other.id(), "made-up", "x", -1, clock.millis()));
        assertRefused(ErrorCode.NOT_FOUND, () -> jobs().progress("ffffffffffffffffffffffffffffffff", "x", 1, null, clock.millis()));
        assertThat(jobs().get(job.id()).state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(jobs().get(other.id()).version()).isEqualTo(running.job().version());
    }

    @Test
    void aFailureWithAttemptsLeftIsQueuedAgainAtTheRetryTimeAndTheLastOneFails() {
        Job job = submit("email", 2);
        JobClaim first = claim("email");
        long retryAt = clock.millis() + 2_000;

        Job retried = jobs().fail(job.id(), first.lease(), "smtp down", retryAt, clock.millis());

        assertThat(retried.state()).isEqualTo(JobState.QUEUED);
        assertThat(retried.error()).isEqualTo("smtp down");
        assertThat(retried.runAtMillis()).isEqualTo(retryAt);
        assertThat(claim("email")).as("not before the retry time").isNull();
        assertRefused(ErrorCode.LEASE_NOT_HELD, () -> jobs().heartbeat(job.id(), first.lease(), clock.millis()));
        clock.advance(Duration.ofMillis(2_000));
        JobClaim second = claim("email");
        assertThat(second.job().attempt()).isEqualTo(2);
        assertThat(second.lease()).isNotEqualTo(first.lease());

        Job failed = jobs().fail(job.id(), second.lease(), "smtp still down", clock.millis(), clock.millis());

        assertThat(failed.state()).isEqualTo(JobState.FAILED);
        assertThat(failed.error()).isEqualTo("smtp still down");
    }

    @Test
    void aFailureWithoutRetryFailsAtOnce() {
        Job job = submit("email", 5);
        JobClaim c = claim("email");

        assertThat(jobs().fail(job.id(), c.lease(), "bad address", -1, clock.millis()).state()).isEqualTo(JobState.FAILED);
    }

    // ---- cancellation and expiry ----

    @Test
    void cancellingAQueuedJobEndsItAtOnce() {
        Job job = submit("email", 3);

        Job cancelled = jobs().cancel(job.id(), clock.millis());

        assertThat(cancelled.state()).isEqualTo(JobState.CANCELLED);
        assertThat(claim("email")).isNull();
        assertThat(jobs().cancel(job.id(), clock.millis()).version()).as("a second cancel changes nothing").isEqualTo(cancelled.version());
        assertThat(jobs().cancel("ffffffffffffffffffffffffffffffff", clock.millis())).isNull();
    }

    @Test
    void aRunningWorkerLearnsOfCancellationOnItsNextHeartbeat() {
        Job job = submit("email", 3);
        JobClaim c = claim("email");

        Job asked = jobs().cancel(job.id(), clock.millis());
        assertThat(asked.state()).isEqualTo(JobState.RUNNING);
        assertThat(asked.cancelRequested()).isTrue();

        Job seen = jobs().heartbeat(job.id(), c.lease(), clock.millis());

        assertThat(seen.state()).isEqualTo(JobState.CANCELLED);
        assertRefused(ErrorCode.LEASE_NOT_HELD, () -> jobs().complete(job.id(), c.lease(), "text/plain", new byte[0], clock.millis()));
    }

    @Test
    void anExpiredLeaseQueuesTheJobForAnotherAttemptOrFailsTheLast() {
        Job job = submit("email", 2);
        JobClaim first = claim("email");
        clock.advance(Duration.ofMillis(LEASE));

        List<Job> expired = jobs().expireLeases(clock.millis());

        assertThat(expired).singleElement().satisfies(j -> {
            assertThat(j.id()).isEqualTo(job.id());
            assertThat(j.state()).isEqualTo(JobState.QUEUED);
            assertThat(j.error()).contains("heartbeat");
        });
        assertRefused(ErrorCode.LEASE_NOT_HELD, () -> jobs().complete(job.id(), first.lease(), "text/plain", new byte[0], clock.millis()));
        JobClaim second = claim("email");
        assertThat(second.job().attempt()).isEqualTo(2);
        clock.advance(Duration.ofMillis(LEASE));
        assertThat(jobs().expireLeases(clock.millis())).singleElement().satisfies(j -> assertThat(j.state()).isEqualTo(JobState.FAILED));
        assertThat(jobs().expireLeases(clock.millis())).isEmpty();
    }

    // ---- retention, counts, restart ----

    @Test
    void finishedJobsArePurgedAfterTheirRetentionAndTheirKeysForgotten() {
        Job done = submit("email", 1, 0, "k1").job();
        JobClaim c = claim("email");
        jobs().complete(done.id(), c.lease(), "text/plain", new byte[0], clock.millis());
        Job waiting = submit("email", 1, clock.millis() + 1_000_000, null).job();
        clock.advance(Duration.ofHours(1));

        List<String> purged = jobs().purgeFinished(clock.millis() - Duration.ofMinutes(30).toMillis());

        assertThat(purged).containsExactly(done.id());
        assertThat(jobs().get(done.id())).isNull();
        assertThat(jobs().get(waiting.id())).isNotNull();
        assertThat(submit("email", 1, 0, "k1").created()).as("the key went with the job").isTrue();
    }

    @Test
    void countsGroupJobsByTypeAndState() {
        submit("email", 1);
        submit("email", 1);
        submit("sms", 1);
        claim("email");

        assertThat(jobs().counts()).isEqualTo(Map.of(
                "email", Map.of(JobState.QUEUED, 1L, JobState.RUNNING, 1L),
                "sms", Map.of(JobState.QUEUED, 1L)));
    }

    @Test
    void jobsAndLeasesSurviveARestart() {
        Job queued = submit("email", 3);
        clock.advance(Duration.ofMillis(1));
        Job running = submit("email", 3, 0, "key").job();
        claim("email");
        JobClaim c = claim("email");

        restart();

        if (!durable()) {
            assertThat(jobs().get(queued.id())).isNull();
            return;
        }
        assertThat(jobs().get(queued.id()).state()).isEqualTo(JobState.RUNNING);
        Job after = jobs().get(running.id());
        assertThat(after.state()).isEqualTo(JobState.RUNNING);
        assertThat(jobs().progress(running.id(), c.lease(), 50, "still here", clock.millis()).progressPercent()).isEqualTo(50);
        assertThat(submit("email", 3, 0, "key").job().id()).isEqualTo(running.id());
        clock.advance(Duration.ofMillis(LEASE));
        assertThat(jobs().expireLeases(clock.millis())).extracting(Job::state).containsOnly(JobState.QUEUED);
    }

    private static void assertRefused(ErrorCode code, ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(SwitchboardException.class, e -> assertThat(e.code()).isEqualTo(code));
    }
}
