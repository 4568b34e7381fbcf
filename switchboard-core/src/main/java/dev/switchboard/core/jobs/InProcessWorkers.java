package dev.switchboard.core.jobs;

import dev.switchboard.core.jobs.JobHandler.JobResult;
import dev.switchboard.core.store.JobClaim;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The in-process workers of one job type: a claimer that takes as many jobs as there are free slots
 * (up to {@link #MAX_CLAIM}) in one claim, and a virtual thread per job running claim → handler →
 * complete or fail, until the jobs close. Claiming in batches is what lets handlers keep up with
 * submitters: a claim per job would cost the store a statement and a commit per job.
 */
final class InProcessWorkers implements Runnable {
    private static final Logger LOG = Logger.getLogger(InProcessWorkers.class.getName());
    private static final long STORE_TROUBLE_PAUSE_MILLIS = 1_000;
    /**
     * The most one claim takes. Higher than a remote worker's {@link Jobs#MAX_CLAIM}: the one claimer waits
     * for each claim's commit before the next, so its cap over the commit's time caps the handlers' rate
     * (100 per claim held 512 handlers to ~12,000 jobs/s under a backlog, while 128 submitters queued
     * 14,600/s; 1,000 let them keep up), and hoarding is bounded by the concurrency the caller chose.
     */
    static final int MAX_CLAIM = 1_000;

    private final Jobs jobs;
    private final String type;
    private final JobHandler handler;
    private final Semaphore free;

    InProcessWorkers(Jobs jobs, String type, int concurrency, JobHandler handler) {
        this.jobs = jobs;
        this.type = type;
        this.handler = handler;
        this.free = new Semaphore(concurrency);
    }

    @Override
    public void run() {
        while (!jobs.isClosed()) {
            int slots = 0;
            try {
                free.acquire();
                slots = 1 + free.drainPermits();
                int extra = Math.max(0, slots - MAX_CLAIM);
                free.release(extra);
                slots -= extra;
                List<JobClaim> claims = jobs.claimForWorkers(type, slots);
                free.release(slots - claims.size());
                slots = 0;
                for (JobClaim claim : claims) {
                    Thread.ofVirtual().name("sb-job-" + type).start(() -> {
                        try {
                            runOne(new JobContext(jobs, claim));
                        } finally {
                            free.release();
                        }
                    });
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                free.release(slots);
                if (jobs.isClosed()) {
                    return;
                }
                LOG.log(Level.WARNING, "in-process workers for '" + type + "' could not claim; trying again in "
                        + STORE_TROUBLE_PAUSE_MILLIS + "ms", e);
                try {
                    Thread.sleep(STORE_TROUBLE_PAUSE_MILLIS);
                } catch (InterruptedException stop) {
                    return;
                }
            }
        }
    }

    private void runOne(JobContext ctx) {
        String id = ctx.job().id();
        try {
            JobResult result = handler.handle(ctx);
            jobs.complete(id, ctx.lease(), result == null ? null : result.contentType(), result == null ? null : result.bytes()).join();
        } catch (JobCancelledException e) {
            // the store already ended the job as cancelled when it told us
        } catch (Exception e) {
            jobs.fail(id, ctx.lease(), reason(e), true).exceptionally(f -> null).join();
        } catch (Error e) {
            jobs.fail(id, ctx.lease(), reason(e), true).exceptionally(f -> null).join();
            throw e;
        }
    }

    /** The message, as a remote worker reports it; the class name when there is none. */
    private static String reason(Throwable e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getName();
    }
}
