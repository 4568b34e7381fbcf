package dev.switchboard.core.jobs;

import dev.switchboard.core.store.Job;
import dev.switchboard.core.store.JobClaim;
import dev.switchboard.core.store.JobState;

/** What an in-process handler sees of its job: the record, and calls that keep its lease and report progress. */
public final class JobContext {
    private final Jobs jobs;
    private final JobClaim claim;

    JobContext(Jobs jobs, JobClaim claim) {
        this.jobs = jobs;
        this.claim = claim;
    }

    public Job job() {
        return claim.job();
    }

    public byte[] payload() {
        return claim.job().payload();
    }

    /** Records progress and renews the lease; throws {@link JobCancelledException} once the job was cancelled. */
    public void progress(int percent, String message) {
        check(jobs.progress(claim.job().id(), claim.lease(), percent, message).join());
    }

    /** Renews the lease; throws {@link JobCancelledException} once the job was cancelled. */
    public void heartbeat() {
        check(jobs.heartbeat(claim.job().id(), claim.lease()).join());
    }

    String lease() {
        return claim.lease();
    }

    private static void check(Job job) {
        if (job.state() == JobState.CANCELLED) {
            throw new JobCancelledException(job.id());
        }
    }
}
