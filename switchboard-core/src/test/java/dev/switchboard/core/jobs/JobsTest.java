package dev.switchboard.core.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.switchboard.core.config.ConfigLoader;
import dev.switchboard.core.error.ErrorCode;
import dev.switchboard.core.error.SwitchboardException;
import dev.switchboard.core.hub.Hub;
import dev.switchboard.core.jobs.JobHandler.JobResult;
import dev.switchboard.core.store.Job;
import dev.switchboard.core.store.JobClaim;
import dev.switchboard.core.store.JobState;
import dev.switchboard.core.store.Submitted;
import dev.switchboard.core.store.memory.MemoryLogStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Async jobs through the hub on the memory store: claims, waits, retries, cancellation, in-process handlers, events. */
final class JobsTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private final MemoryLogStore store = new MemoryLogStore();
    private final Hub hub = hub(Map.of());

    @AfterEach
    void stop() {
        hub.close();
    }

    private Hub hub(Map<String, String> settings) {
        Map<String, String> flags = new HashMap<>(Map.of("retention-interval", "1h", "job-backoff", "50ms", "job-max-backoff", "200ms"));
        flags.putAll(settings);
        return new Hub(store, ConfigLoader.load(flags, Map.of()));
    }

    /** A claim of one job: the job, or null when the wait ended first. */
    private CompletableFuture<JobClaim> claimOne(String type, Duration lease, Duration wait) {
        return jobs().claim(type, 1, lease, wait).thenApply(c -> c.isEmpty() ? null : c.getFirst());
    }

    private Jobs jobs() {
        return hub.jobs();
    }

    private Job submit(String type, Integer attempts) {
        return jobs().submit(new JobRequest(type, "application/json", "{}".getBytes(StandardCharsets.UTF_8), attempts, null, null, null))
                .join().job();
    }

    @Test
    void anInProcessHandlerRunsTheJobAndAWaiterSeesTheResult() {
        jobs().handle("echo", 2, ctx -> new JobResult("text/plain", ("done " + ctx.job().id()).getBytes(StandardCharsets.UTF_8)));
        Job job = submit("echo", null);

        Job done = jobs().await(job.id(), null, Duration.ofSeconds(20)).join();

        assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(new String(done.result(), StandardCharsets.UTF_8)).isEqualTo("done " + job.id());
        // Events are appended after the record changed, without holding up the caller.
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(store.read(JobEvents.topicOf(job.id()), 0, 10))
                .extracting(m -> new String(m.payload(), StandardCharsets.UTF_8))
                .containsExactly("queued v1", "running v2", "succeeded v3"));
    }

    @Test
    void inProcessHandlersRunUpToTheirConcurrencyAtOnceAndNoMore() throws Exception {
        int concurrency = 4;
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        CountDownLatch full = new CountDownLatch(1);
        List<Job> submitted = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            submitted.add(submit("batch", null));
        }
        jobs().handle("batch", concurrency, ctx -> {
            int now = running.incrementAndGet();
            most.accumulateAndGet(now, Math::max);
            if (now == concurrency) {
                full.countDown();
            }
            full.await(); // hold the first slots until every slot is taken: the claimer must fill them all
            running.decrementAndGet();
            return null;
        });

        for (Job job : submitted) {
            assertThat(jobs().await(job.id(), null, Duration.ofSeconds(20)).join().state()).isEqualTo(JobState.SUCCEEDED);
        }
        assertThat(most.get()).as("every slot was used, none beyond").isEqualTo(concurrency);
        assertThat(submitted).allSatisfy(j -> assertThat(jobs().get(j.id()).join().attempt()).as("each ran once").isEqualTo(1));
    }

    @Test
    void aFailingHandlerIsRetriedWithBackoffUntilItsAttemptsRunOut() {
        AtomicInteger calls = new AtomicInteger();
        jobs().handle("flaky", 1, ctx -> {
            calls.incrementAndGet();
            throw new IllegalStateException("boom " + ctx.job().attempt());
        });
        Job job = submit("flaky", 3);

        Job failed = jobs().await(job.id(), null, Duration.ofSeconds(20)).join();

        assertThat(failed.state()).isEqualTo(JobState.FAILED);
        assertThat(failed.attempt()).isEqualTo(3);
        assertThat(failed.error()).contains("boom 3");
        assertThat(calls.get()).isEqualTo(3);
    }

    @Test
    void aWaitingClaimIsAnsweredByTheSubmitThatComesDuringTheWait() {
        CompletableFuture<JobClaim> claim = claimOne("mail", null, Duration.ofSeconds(20));
        await().during(Duration.ofMillis(200)).atMost(PATIENCE).until(() -> !claim.isDone());

        Job job = submit("mail", null);

        JobClaim got = claim.orTimeout(20, TimeUnit.SECONDS).join();
        assertThat(got.job().id()).isEqualTo(job.id());
        assertThat(got.job().state()).isEqualTo(JobState.RUNNING);
        assertThat(claimOne("mail", null, Duration.ofMillis(100)).join()).as("the wait ends empty").isNull();
    }

    @Test
    void aRunningHandlerStopsAtItsNextProgressOnceCancelled() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch cancelled = new CountDownLatch(1);
        jobs().handle("long", 1, ctx -> {
            started.countDown();
            cancelled.await();
            ctx.progress(10, "still going");
            throw new AssertionError("progress must throw once the job is cancelled");
        });
        Job job = submit("long", null);
        assertThat(started.await(20, TimeUnit.SECONDS)).isTrue();

        Job asked = jobs().cancel(job.id()).join();
        cancelled.countDown();

        assertThat(asked.cancelRequested()).isTrue();
        assertThat(jobs().await(job.id(), null, Duration.ofSeconds(20)).join().state()).isEqualTo(JobState.CANCELLED);
    }

    @Test
    void aWorkerThatGoesSilentLosesTheJobToAnotherAttempt() {
        Job job = submit("slow", 2);
        JobClaim first = claimOne("slow", Duration.ofMillis(200), Duration.ZERO).join();

        JobClaim second = claimOne("slow", null, Duration.ofSeconds(20)).join();

        assertThat(second.job().id()).isEqualTo(job.id());
        assertThat(second.job().attempt()).isEqualTo(2);
        assertThat(second.job().error()).contains("no heartbeat within 200ms");
        assertRefused(() -> jobs().complete(job.id(), first.lease(), null, null).join(), ErrorCode.LEASE_NOT_HELD);
    }

    @Test
    void awaitWithAVersionReturnsAtTheNextChange() {
        Job job = submit("step", null);
        CompletableFuture<Job> waiting = jobs().await(job.id(), job.version(), Duration.ofSeconds(20));
        await().during(Duration.ofMillis(200)).atMost(PATIENCE).until(() -> !waiting.isDone());

        JobClaim claim = claimOne("step", null, Duration.ZERO).join();

        assertThat(waiting.orTimeout(20, TimeUnit.SECONDS).join().version()).isEqualTo(claim.job().version());
        Job progressed = jobs().progress(job.id(), claim.lease(), 50, "half").join();
        assertThat(jobs().await(job.id(), claim.job().version(), Duration.ZERO).join().progressPercent()).isEqualTo(50);
        assertThat(progressed.version()).isEqualTo(claim.job().version() + 1);
    }

    @Test
    void aDelayedJobWaitsForItsTime() {
        Job job = jobs().submit(new JobRequest("later", "text/plain", new byte[0], null, null, Instant.now().plusMillis(300), null)).join().job();

        assertThat(claimOne("later", null, Duration.ZERO).join()).isNull();
        assertThat(claimOne("later", null, Duration.ofSeconds(20)).join().job().id()).isEqualTo(job.id());
    }

    @Test
    void badInputIsRefusedWithTheNumbers() {
        assertRefused(() -> jobs().submit(new JobRequest("bad type", "text/plain", new byte[0], null, null, null, null)).join(),
                ErrorCode.BAD_REQUEST);
        assertRefused(() -> jobs().submit(new JobRequest("t", "text/plain", new byte[0], 0, null, null, null)).join(), ErrorCode.BAD_REQUEST);
        assertRefused(() -> jobs().submit(new JobRequest("t", "text/plain", new byte[0], null, Duration.ofDays(2), null, null)).join(),
                ErrorCode.BAD_REQUEST);
        assertRefused(() -> jobs().get("nope").join(), ErrorCode.NOT_FOUND);
        assertRefused(() -> jobs().get("0".repeat(32)).join(), ErrorCode.NOT_FOUND);
        assertRefused(() -> claimOne("t", null, Duration.ofDays(1)).join(), ErrorCode.WAIT_TOO_LONG);
        assertRefused(() -> jobs().claim("t", 0, null, Duration.ZERO).join(), ErrorCode.BAD_REQUEST);
        assertRefused(() -> jobs().claim("t", Jobs.MAX_CLAIM + 1, null, Duration.ZERO).join(), ErrorCode.BAD_REQUEST);
        assertRefused(() -> jobs().heartbeat("0".repeat(32), "").join(), ErrorCode.BAD_REQUEST);
        Job job = submit("t", null);
        assertRefused(() -> jobs().progress(job.id(), "x", 101, null).join(), ErrorCode.BAD_REQUEST);
        assertRefused(() -> jobs().heartbeat(job.id(), "x").join(), ErrorCode.LEASE_NOT_HELD);
        assertThat(jobs().get(job.id()).join().version()).isEqualTo(1);
    }

    @Test
    void aBatchSubmitStoresEveryJobInOrderAndHandlersRunThemAll() {
        AtomicInteger ran = new AtomicInteger();
        jobs().handle("a", 4, ctx -> {
            ran.incrementAndGet();
            return null;
        });
        jobs().handle("b", 4, ctx -> {
            ran.incrementAndGet();
            return null;
        });
        List<JobRequest> requests = List.of(request("a", null, null), request("b", null, null), request("a", null, "k"),
                request("a", null, "k"));

        List<Submitted> batch = jobs().submitAll(requests).join();

        assertThat(batch).extracting(s -> s.job().type()).containsExactly("a", "b", "a", "a");
        assertThat(batch).extracting(Submitted::created).containsExactly(true, true, true, false);
        assertThat(batch.get(3).job().id()).as("a key repeated in the batch").isEqualTo(batch.get(2).job().id());
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(batch).allSatisfy(s ->
                assertThat(jobs().get(s.job().id()).join().state()).isEqualTo(JobState.SUCCEEDED)));
        assertThat(ran).as("each created job ran once").hasValue(3);
    }

    @Test
    void aBatchWithOneInvalidRequestIsRefusedWholeNamingItsIndex() {
        List<JobRequest> requests = List.of(request("a", null, null), request("a", 0, null), request("a", null, null));

        Throwable thrown = catchThrowable(() -> jobs().submitAll(requests).join());

        assertThat(SwitchboardException.of(thrown).code()).isEqualTo(ErrorCode.BAD_REQUEST);
        assertThat(SwitchboardException.of(thrown).getMessage()).contains("job 1 ", "max_attempts=0");
        assertThat(jobs().counts().join()).as("nothing stored").isEmpty();
    }

    @Test
    void aBatchSubmitOfNoneOrAboveTheLimitIsRefused() {
        List<JobRequest> tooMany = Collections.nCopies(Jobs.MAX_SUBMIT_BATCH + 1, request("a", null, null));

        Throwable thrown = catchThrowable(() -> jobs().submitAll(tooMany).join());

        assertThat(SwitchboardException.of(thrown).code()).isEqualTo(ErrorCode.BAD_REQUEST);
        assertThat(SwitchboardException.of(thrown).getMessage()).contains("1001", "1000");
        assertRefused(() -> jobs().submitAll(List.of()).join(), ErrorCode.BAD_REQUEST);
        assertThat(jobs().counts().join()).as("nothing stored").isEmpty();
        assertThat(jobs().submitAll(Collections.nCopies(Jobs.MAX_SUBMIT_BATCH, request("a", null, null))).join())
                .as("the limit itself is fine").hasSize(Jobs.MAX_SUBMIT_BATCH);
    }

    private static JobRequest request(String type, Integer attempts, String key) {
        return new JobRequest(type, "application/json", "{}".getBytes(StandardCharsets.UTF_8), attempts, null, null, key);
    }

    private static void assertRefused(ThrowingCallable call, ErrorCode code) {
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).as("refusal").isNotNull();
        assertThat(SwitchboardException.of(thrown).code()).as(String.valueOf(thrown)).isEqualTo(code);
    }
}
