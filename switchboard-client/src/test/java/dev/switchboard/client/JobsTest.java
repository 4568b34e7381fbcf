package dev.switchboard.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Async jobs through the SDK against a real server: the client's calls and a worker, both over HTTP. */
class JobsTest extends JobServerFixture {
    private static WorkOptions quick() {
        return WorkOptions.defaults().claimWait(Duration.ofSeconds(5)).stopGrace(Duration.ofSeconds(10));
    }

    @Test
    void aSubmittedJobIsRunByAWorkerAndAwaitedWithItsResult() {
        String type = type("double");
        client.work(type, quick(), job -> Map.of("doubled", job.payload().path("n").asInt() * 2));

        Job submitted = client.submit(type, Map.of("n", 21), SubmitOptions.defaults().maxAttempts(5).timeout(Duration.ofMinutes(2)));
        Job done = client.awaitJob(submitted.id(), PATIENCE);

        assertThat(submitted.status()).isIn(JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.SUCCEEDED);
        assertThat(submitted.maxAttempts()).isEqualTo(5);
        assertThat(submitted.timeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(done.attempt()).isEqualTo(1);
        assertThat(done.result().path("doubled").asInt()).isEqualTo(42);
        assertThat(done.resultAs(Map.class)).containsEntry("doubled", 42);
        assertThat(client.job(submitted.id())).isEqualTo(done);
    }

    @Test
    void aTextPayloadAndResultStayText() {
        String type = type("upper");
        client.work(type, quick(), job -> job.claim().payloadText().toUpperCase());

        Job done = client.submitAndWait(type, "hello", SubmitOptions.defaults(), PATIENCE);

        assertThat(done.result().isTextual()).isTrue();
        assertThat(done.resultText()).isEqualTo("HELLO");
    }

    @Test
    void submitWithPreferWaitAnswersTheFinishedJobInOneRoundTrip() {
        String type = type("fast");
        client.work(type, quick(), job -> "done");

        Job job = client.submit(type, null, SubmitOptions.defaults().preferWait(Duration.ofSeconds(15)));
        Job viaFace = client.submitJson(type, "{\"a\":[1,2]}", SubmitOptions.defaults().preferWait(Duration.ofSeconds(15)));

        assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(job.resultText()).isEqualTo("done");
        assertThat(viaFace.status()).isEqualTo(JobStatus.SUCCEEDED);
    }

    @Test
    void submitAndWaitFallsBackToAwaitingWhenTheServerEndsThePreferredWaitFirst() throws Exception {
        try (RealServer capped = RealServer.memory(Map.of("max-wait", "1s"));
                SwitchboardClient c = SwitchboardClient.builder(capped.url()).build()) {
            String type = type("slow");
            CountDownLatch release = new CountDownLatch(1);
            c.work(type, quick().claimWait(Duration.ofSeconds(1)), job -> {
                release.await();
                return "late";
            });

            CompletableFuture<Job> waiting = c.submitAndWaitAsync(type, "x", SubmitOptions.defaults(), PATIENCE);
            // The server caps Prefer: wait at 1 s and answers 202; still pending well after that, the SDK is awaiting.
            await().pollDelay(Duration.ofMillis(2_500)).atMost(PATIENCE).until(() -> !waiting.isDone());
            release.countDown();

            Job done = waiting.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
            assertThat(done.resultText()).isEqualTo("late");
        }
    }

    @Test
    void awaitJobAnswersTheUnfinishedJobWhenItsTimeoutRunsOut() {
        Job queued = client.submit(type("nobody"), null, SubmitOptions.defaults());

        Job still = client.awaitJob(queued.id(), Duration.ofMillis(300));

        assertThat(still.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(still.isFinished()).isFalse();
    }

    @Test
    void aBatchClaimTakesUpToMaxJobsOldestFirst() {
        String type = type("batch");
        List<Job> queued = List.of(client.submit(type, null, SubmitOptions.defaults()), client.submit(type, null, SubmitOptions.defaults()),
                client.submit(type, null, SubmitOptions.defaults()));

        List<JobClaim> two = client.claim(type, 2, Duration.ofSeconds(5), null);
        List<JobClaim> rest = client.claim(type, 10, Duration.ofSeconds(5), null);

        assertThat(two).extracting(c -> c.job().id()).containsExactly(queued.get(0).id(), queued.get(1).id());
        assertThat(rest).extracting(c -> c.job().id()).containsExactly(queued.get(2).id());
        for (JobClaim c : List.of(two.get(0), two.get(1), rest.get(0))) {
            assertThat(client.complete(c.job().id(), c.lease(), null).status()).isEqualTo(JobStatus.SUCCEEDED);
        }
        assertThat(client.claim(type, 10, Duration.ofMillis(100), null)).as("nothing left: empty, not null").isEmpty();
    }

    @Test
    void aWorkerTakesAsManyJobsAsItHasFreeSlotsInOneClaim() throws Exception {
        String type = type("slots");
        List<Job> queued = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 4; i++) {
            queued.add(client.submit(type, null, SubmitOptions.defaults()));
        }
        List<String> leases = new CopyOnWriteArrayList<>();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        CountDownLatch full = new CountDownLatch(4);

        try (JobWorker worker = client.work(type, quick().concurrency(4), job -> {
            leases.add(job.claim().lease());
            most.accumulateAndGet(running.incrementAndGet(), Math::max);
            full.countDown();
            full.await(); // every slot busy at once
            running.decrementAndGet();
            return "ok";
        })) {
            for (Job job : queued) {
                assertThat(client.awaitJob(job.id(), PATIENCE).status()).isEqualTo(JobStatus.SUCCEEDED);
            }
            assertThat(worker.handled()).isEqualTo(4);
        }
        assertThat(most.get()).isEqualTo(4);
        // A claim's jobs share its lease token: four jobs, one token, so one claim took them all.
        assertThat(leases).hasSize(4).containsOnly(leases.getFirst());
    }

    @Test
    void aLongPollPastAVersionAnswersAtTheNextChange() throws Exception {
        String type = type("claimed-later");
        Job queued = client.submit(type, null, SubmitOptions.defaults());

        CompletableFuture<Job> next = client.jobAsync(queued.id(), Duration.ofSeconds(15), queued.version());
        JobClaim claim = client.claim(type, Duration.ofSeconds(5), null);

        Job changed = next.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        assertThat(changed.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(changed.version()).isGreaterThan(queued.version());
        assertThat(client.job(queued.id(), Duration.ofMillis(100), changed.version()).version()).isEqualTo(changed.version());
        client.complete(queued.id(), claim.lease(), null);
    }

    @Test
    void aWatchSeesProgressThenTheFinishedJobAndEnds() {
        String type = type("resize");
        CountDownLatch seen = new CountDownLatch(1);
        client.work(type, quick(), job -> {
            job.progress(50, "resizing");
            seen.await();
            return "resized";
        });
        Job job = client.submit(type, null, SubmitOptions.defaults());
        List<Job> changes = new CopyOnWriteArrayList<>();
        CompletableFuture<Throwable> ended = new CompletableFuture<>();

        JobWatch watch = client.watchJob(job.id(), new JobListener() {
            @Override
            public void onChange(Job j) {
                changes.add(j);
                if (j.progress() != null && j.progress().percent() == 50) {
                    seen.countDown();
                }
            }

            @Override
            public void onEnd(Job last, Throwable cause) {
                ended.complete(cause);
            }
        });

        await().atMost(PATIENCE).until(ended::isDone);
        assertThat(ended.join()).isNull();
        assertThat(watch.isOpen()).isFalse();
        assertThat(changes).anySatisfy(j -> {
            assertThat(j.status()).isEqualTo(JobStatus.RUNNING);
            assertThat(j.progress()).isEqualTo(new JobProgress(50, "resizing"));
        });
        assertThat(changes.getLast().status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(changes.getLast().resultText()).isEqualTo("resized");
        assertThat(changes).extracting(Job::version).isSorted().doesNotHaveDuplicates();
        assertThat(watch.last()).isEqualTo(changes.getLast());
    }

    @Test
    void aWatchOfAnUnknownJobEndsWithNotFound() {
        CompletableFuture<Throwable> ended = new CompletableFuture<>();

        client.watchJob("0123456789abcdef0123456789abcdef", new JobListener() {
            @Override
            public void onChange(Job job) {}

            @Override
            public void onEnd(Job last, Throwable cause) {
                ended.complete(cause);
            }
        });

        await().atMost(PATIENCE).until(ended::isDone);
        assertThat(ended.join()).isInstanceOfSatisfying(SwitchboardClientException.class, e -> assertThat(e.status()).isEqualTo(404));
    }

    @Test
    void aCancelReachesTheRunningHandlerAtItsNextHeartbeat() {
        String type = type("cancellable");
        AtomicBoolean stopped = new AtomicBoolean();
        JobWorker worker = client.work(type, quick(), job -> {
            try {
                while (true) {
                    job.heartbeat();
                    Thread.sleep(20);
                }
            } catch (JobCancelledException e) {
                stopped.set(true);
                throw e;
            }
        });
        Job job = client.submit(type, null, SubmitOptions.defaults());
        await().atMost(PATIENCE).until(() -> client.job(job.id()).status() == JobStatus.RUNNING);

        Job asked = client.cancelJob(job.id());

        assertThat(asked.cancelRequested()).isTrue();
        assertThat(client.awaitJob(job.id(), PATIENCE).status()).isEqualTo(JobStatus.CANCELLED);
        await().atMost(PATIENCE).until(() -> stopped.get() && worker.handled() == 1);
    }

    @Test
    void aFailingHandlerIsRetriedThenTheJobFailsWithItsMessage() {
        String type = type("broken");
        AtomicInteger calls = new AtomicInteger();
        client.work(type, quick(), job -> {
            calls.incrementAndGet();
            throw new IllegalStateException("disk full");
        });

        Job failed = client.submitAndWait(type, null, SubmitOptions.defaults().maxAttempts(2), PATIENCE);

        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.attempt()).isEqualTo(2);
        assertThat(failed.error()).isEqualTo("disk full");
        assertThat(calls.get()).isEqualTo(2);
    }

    @Test
    void aResultJacksonCannotWriteFailsTheJobAndTheWorkerGoesOn() {
        String type = type("unwritable");
        JobWorker worker = client.work(type, quick(), job -> job.payload().asBoolean() ? new Object() : "fine");

        Job failed = client.submitAndWait(type, true, SubmitOptions.defaults().maxAttempts(1), PATIENCE);
        Job fine = client.submitAndWait(type, false, SubmitOptions.defaults(), PATIENCE);

        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.error()).startsWith("not writable as JSON: java.lang.Object");
        assertThat(fine.resultText()).isEqualTo("fine");
        assertThat(worker.isOpen()).isTrue();
    }

    @Test
    void aSpentLeaseIsRefusedWithLeaseNotHeld() {
        String type = type("manual");
        Job job = client.submit(type, Map.of("k", 1), SubmitOptions.defaults());
        JobClaim claim = client.claim(type, Duration.ofSeconds(5), Duration.ofSeconds(30));
        Job done = client.complete(job.id(), claim.lease(), List.of(1, 2));

        assertThat(claim.job().id()).isEqualTo(job.id());
        assertThat(claim.payload().path("k").asInt()).isEqualTo(1);
        assertThat(done.result().size()).isEqualTo(2);
        assertThatThrownBy(() -> client.complete(job.id(), claim.lease(), "again"))
                .isInstanceOfSatisfying(SwitchboardClientException.class, e -> {
                    assertThat(e.status()).isEqualTo(409);
                    assertThat(e.code()).isEqualTo("lease-not-held");
                    assertThat(e.retryable()).isFalse();
                });
        assertThatThrownBy(() -> client.progress(job.id(), "made-up", 10, null))
                .isInstanceOfSatisfying(SwitchboardClientException.class, e -> assertThat(e.code()).isEqualTo("lease-not-held"));
    }

    @Test
    void aClaimWithNothingToDoAnswersNull() {
        assertThat(client.claim(type("idle"), Duration.ofMillis(100), null)).isNull();
    }

    @Test
    void theSameIdempotencyKeyReturnsTheSameJob() {
        String type = type("once");
        SubmitOptions keyed = SubmitOptions.defaults().idempotencyKey("order-17");

        Job first = client.submit(type, Map.of("n", 1), keyed);
        Job again = client.submit(type, Map.of("n", 1), keyed);
        Job other = client.submit(type, Map.of("n", 1), SubmitOptions.defaults().idempotencyKey("order-18"));

        assertThat(again.id()).isEqualTo(first.id());
        assertThat(other.id()).isNotEqualTo(first.id());
    }

    @Test
    void badInputIsRefusedWithTheServersProblem() {
        assertThatThrownBy(() -> client.submit("bad type!", null, SubmitOptions.defaults()))
                .isInstanceOfSatisfying(SwitchboardClientException.class, e -> assertThat(e.status()).isEqualTo(400));
        assertThatThrownBy(() -> client.job("0123456789abcdef0123456789abcdef"))
                .isInstanceOfSatisfying(SwitchboardClientException.class, e -> assertThat(e.code()).isEqualTo("not-found"));
        assertThatThrownBy(() -> client.submitJson("t", "{not json", SubmitOptions.defaults()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WorkOptions.defaults().claimWait(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SubmitOptions.defaults().maxAttempts(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void closingAWorkerLetsTheRunningHandlerFinishAndCompleteItsJob() throws Exception {
        String type = type("graceful");
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Throwable> ended = new CompletableFuture<>();
        JobWorker worker = client.work(type, quick(), new JobHandler() {
            @Override
            public Object handle(JobContext job) throws Exception {
                started.countDown();
                release.await();
                return "finished";
            }

            @Override
            public void onEnd(Throwable cause) {
                ended.complete(cause);
            }
        });
        Job job = client.submit(type, null, SubmitOptions.defaults());
        assertThat(started.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Void> closing = CompletableFuture.runAsync(worker::close);
        await().atMost(PATIENCE).until(() -> !worker.isOpen());
        release.countDown();
        closing.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);

        assertThat(client.job(job.id()).status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(ended.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isNull();
        assertThat(client.workers()).doesNotContain(worker);
    }

    @Test
    void closingAnIdleWorkerAbandonsItsClaimSoTheNextJobGoesToAnotherWorker() {
        String type = type("abandoned");
        AtomicInteger calls = new AtomicInteger();
        JobWorker worker = client.work(type, quick().claimWait(Duration.ofSeconds(30)), job -> calls.incrementAndGet());
        await().atMost(PATIENCE).until(() -> worker.isOpen());

        worker.close();
        Job job = client.submit(type, null, SubmitOptions.defaults());
        JobClaim claim = client.claim(type, Duration.ofSeconds(10), null);

        assertThat(worker.isOpen()).isFalse();
        assertThat(claim.job().id()).isEqualTo(job.id());
        assertThat(calls.get()).isZero();
    }

    @Test
    void aWorkerReconnectsWhenTheServerRestartsAndGoesOnWorking() {
        try (RealServer restarting = RealServer.sqlite();
                SwitchboardClient c = SwitchboardClient.builder(restarting.url()).build()) {
            String type = type("survivor");
            List<SwitchboardClientException> reconnects = new CopyOnWriteArrayList<>();
            c.work(type, quick().backoff(Duration.ofMillis(50), Duration.ofMillis(500)), new JobHandler() {
                @Override
                public Object handle(JobContext job) {
                    return job.payload().asInt() + 1;
                }

                @Override
                public void onReconnecting(SwitchboardClientException cause, Duration delay) {
                    reconnects.add(cause);
                }
            });
            assertThat(c.submitAndWait(type, 1, SubmitOptions.defaults(), PATIENCE).result().asInt()).isEqualTo(2);

            restarting.stop();
            await().atMost(PATIENCE).until(() -> !reconnects.isEmpty());
            restarting.restart();

            JsonNode result = c.submitAndWait(type, 41, SubmitOptions.defaults(), PATIENCE).result();
            assertThat(result.asInt()).isEqualTo(42);
            assertThat(reconnects).allSatisfy(e -> assertThat(e.retryable()).isTrue());
        }
    }
}
