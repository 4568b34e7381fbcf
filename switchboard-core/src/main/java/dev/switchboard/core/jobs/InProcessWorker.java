package dev.switchboard.core.jobs;

import dev.switchboard.core.jobs.JobHandler.JobResult;
import dev.switchboard.core.store.JobClaim;
import java.util.logging.Level;
import java.util.logging.Logger;

/** One in-process worker loop: claim → handler → complete or fail, until the jobs close. */
final class InProcessWorker implements Runnable {
    private static final Logger LOG = Logger.getLogger(InProcessWorker.class.getName());
    private static final long STORE_TROUBLE_PAUSE_MILLIS = 1_000;

    private final Jobs jobs;
    private final String type;
    private final JobHandler handler;

    InProcessWorker(Jobs jobs, String type, JobHandler handler) {
        this.jobs = jobs;
        this.type = type;
        this.handler = handler;
    }

    @Override
    public void run() {
        while (!jobs.isClosed()) {
            try {
                JobClaim claim = jobs.claimForWorker(type);
                if (claim != null) {
                    runOne(new JobContext(jobs, claim));
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (jobs.isClosed()) {
                    return;
                }
                LOG.log(Level.WARNING, "in-process worker for '" + type + "' could not claim; trying again in "
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
