package dev.switchboard.client.internal;

import dev.switchboard.client.Job;
import dev.switchboard.client.JobCancelledException;
import dev.switchboard.client.JobClaim;
import dev.switchboard.client.JobContext;
import dev.switchboard.client.JobLeaseLostException;
import dev.switchboard.client.JobStatus;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.client.SwitchboardClientException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A claimed job while its handler runs: the {@link JobContext} the handler is given, and whether the job is still
 * this worker's. A renewal answered {@code cancelled} or {@code 409 lease-not-held} (the handler's own, or its
 * {@link LeaseKeeper}'s) loses the job: the handler's thread is interrupted while the handler runs, and later
 * renewals throw at once. {@link #finish()} closes that window, so no interrupt reaches the worker's thread after
 * it. Thread-safe. Not API.
 */
final class RunningJob implements JobContext {
    private final SwitchboardClient client;
    private final JobClaim claim;
    private final Thread handlerThread;
    private volatile long renewedAt = System.nanoTime(); // the claim itself started the lease
    private volatile RuntimeException lost; // set once, under this
    private boolean finished; // guarded by this

    RunningJob(SwitchboardClient client, JobClaim claim, Thread handlerThread) {
        this.client = client;
        this.claim = claim;
        this.handlerThread = handlerThread;
    }

    @Override
    public JobClaim claim() {
        return claim;
    }

    @Override
    public void progress(int percent, String message) {
        renew(() -> client.progressAsync(claim.job().id(), claim.lease(), percent, message));
    }

    @Override
    public void heartbeat() {
        renew(() -> client.heartbeatAsync(claim.job().id(), claim.lease()));
    }

    /** {@link System#nanoTime()} of the last renewal the server answered. */
    long renewedAt() {
        return renewedAt;
    }

    /** Ends the handler's window: answers why the job was lost while it ran (null: still held), and interrupts no more. */
    synchronized RuntimeException finish() {
        finished = true;
        return lost;
    }

    private void renew(Supplier<CompletableFuture<Job>> call) {
        throwIfLost();
        Job job;
        try {
            job = Requests.await(call.get());
        } catch (SwitchboardClientException e) {
            if (e.isLeaseNotHeld()) {
                lose(new JobLeaseLostException(claim.job().id(), e));
            }
            throwIfLost(); // also when this call was interrupted because the job was lost meanwhile
            throw e;
        }
        renewedAt = System.nanoTime();
        if (job.status() == JobStatus.CANCELLED) {
            lose(new JobCancelledException(job.id()));
        }
        throwIfLost();
    }

    private synchronized void lose(RuntimeException why) {
        if (finished || lost != null) {
            return;
        }
        lost = why;
        if (Thread.currentThread() != handlerThread) {
            handlerThread.interrupt(); // wakes a handler blocked in sleep, I/O or a lock wait
        }
    }

    private void throwIfLost() {
        RuntimeException why = lost;
        if (why instanceof JobCancelledException) {
            throw new JobCancelledException(claim.job().id()); // a fresh one: this thread's stack, not the finder's
        }
        if (why instanceof JobLeaseLostException l) {
            throw new JobLeaseLostException(claim.job().id(), l.refusal());
        }
    }
}
