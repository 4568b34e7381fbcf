package dev.switchboard.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The worker's automatic heartbeat against a real server, with leases short enough (1 s; the server sweeps
 * expired leases every 250 ms) that a handler outliving one is seen within a test.
 */
class JobWorkerLeaseTest extends JobServerFixture {
    private static final Duration LEASE = Duration.ofSeconds(1);

    private static WorkOptions shortLease() {
        return WorkOptions.defaults().lease(LEASE).claimWait(Duration.ofSeconds(5)).stopGrace(Duration.ofSeconds(10));
    }

    /** A handler that records the worker's problems, and runs {@code body}. */
    private static JobHandler recording(List<SwitchboardClientException> problems, JobHandler body) {
        return new JobHandler() {
            @Override
            public Object handle(JobContext job) throws Exception {
                return body.handle(job);
            }

            @Override
            public void onProblem(SwitchboardClientException problem) {
                problems.add(problem);
            }
        };
    }

    @Test
    void aHandlerRunningThreeLeasesWithoutAHeartbeatKeepsItsJob() {
        String type = type("long");
        AtomicInteger calls = new AtomicInteger();
        List<SwitchboardClientException> problems = new CopyOnWriteArrayList<>();
        client.work(type, shortLease(), recording(problems, job -> {
            calls.incrementAndGet();
            Thread.sleep(LEASE.multipliedBy(3).toMillis()); // the work itself: no heartbeat, no progress
            return "kept";
        }));

        Job done = client.submitAndWait(type, null, SubmitOptions.defaults(), PATIENCE);

        assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(done.attempt()).isEqualTo(1);
        assertThat(done.resultText()).isEqualTo("kept");
        assertThat(calls.get()).isEqualTo(1);
        assertThat(problems).isEmpty();
    }

    @Test
    void aCancelReachesABlockedHandlerThroughTheAutomaticHeartbeat() {
        String type = type("blocked");
        List<Throwable> seen = new CopyOnWriteArrayList<>();
        List<SwitchboardClientException> problems = new CopyOnWriteArrayList<>();
        JobWorker worker = client.work(type, shortLease(), recording(problems, job -> {
            try {
                new CountDownLatch(1).await(); // blocked: only an interrupt gets it out
            } catch (InterruptedException e) {
                seen.add(e);
            }
            try {
                job.progress(99, "after the cancel");
            } catch (JobCancelledException e) {
                seen.add(e);
                throw e;
            }
            return "not reached";
        }));
        Job job = client.submit(type, null, SubmitOptions.defaults());
        await().atMost(PATIENCE).until(() -> client.job(job.id()).status() == JobStatus.RUNNING);

        client.cancelJob(job.id());

        assertThat(client.awaitJob(job.id(), PATIENCE).status()).isEqualTo(JobStatus.CANCELLED);
        await().atMost(PATIENCE).until(() -> worker.handled() == 1);
        assertThat(seen).hasSize(2);
        assertThat(seen.get(0)).isInstanceOf(InterruptedException.class);
        assertThat(seen.get(1)).isInstanceOfSatisfying(JobCancelledException.class, e -> assertThat(e.jobId()).isEqualTo(job.id()));
        assertThat(problems).isEmpty();
        assertThat(worker.isOpen()).isTrue();
    }

    @Test
    void aHandlerPastItsJobsTimeoutLosesTheLeaseAndTheWorkerDoesNotCompleteIt() {
        String type = type("overdue");
        List<Throwable> seen = new CopyOnWriteArrayList<>();
        List<SwitchboardClientException> problems = new CopyOnWriteArrayList<>();
        JobWorker worker = client.work(type, shortLease(), recording(problems, job -> {
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                seen.add(e);
            }
            try {
                job.heartbeat();
            } catch (JobLeaseLostException e) {
                seen.add(e);
            }
            return "too late"; // returned, yet the job is not this worker's to complete any more
        }));

        // Heartbeats renew the lease up to the attempt's timeout, never past it: the server then fails the job.
        Job job = client.submit(type, null, SubmitOptions.defaults().timeout(Duration.ofSeconds(1)).maxAttempts(1));

        Job failed = client.awaitJob(job.id(), PATIENCE);
        await().atMost(PATIENCE).until(() -> worker.handled() == 1);
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.result()).isNull();
        assertThat(seen).hasSize(2);
        assertThat(seen.get(0)).isInstanceOf(InterruptedException.class);
        assertThat(seen.get(1)).isInstanceOfSatisfying(JobLeaseLostException.class,
                e -> assertThat(e.refusal().isLeaseNotHeld()).isTrue());
        // One refusal, the heartbeat's: a complete would have been refused too, and reported.
        assertThat(problems).singleElement().satisfies(p -> assertThat(p.isLeaseNotHeld()).isTrue());
    }

    @Test
    void withoutTheAutomaticHeartbeatASilentHandlerLosesItsJobToASecondAttempt() {
        String type = type("silent");
        List<SwitchboardClientException> problems = new CopyOnWriteArrayList<>();
        client.work(type, shortLease().noAutoHeartbeat().concurrency(2), recording(problems, job -> {
            if (job.job().attempt() == 1) {
                Thread.sleep(LEASE.multipliedBy(3).toMillis());
            }
            return "attempt " + job.job().attempt();
        }));

        Job done = client.submitAndWait(type, null, SubmitOptions.defaults(), PATIENCE);

        assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(done.attempt()).isEqualTo(2);
        assertThat(done.resultText()).isEqualTo("attempt 2");
        // The first attempt's late complete is refused and reported.
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(problems).singleElement()
                .satisfies(p -> assertThat(p.isLeaseNotHeld()).isTrue()));
    }

    @Test
    void theHeartbeatPaceMustBePositive() {
        assertThat(WorkOptions.defaults().autoHeartbeat()).isTrue();
        assertThat(WorkOptions.defaults().noAutoHeartbeat().autoHeartbeat()).isFalse();
        assertThatThrownBy(() -> WorkOptions.defaults().autoHeartbeat(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
