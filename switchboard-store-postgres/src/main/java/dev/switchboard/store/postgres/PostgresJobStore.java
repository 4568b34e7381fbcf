package dev.switchboard.store.postgres;

import dev.switchboard.core.store.Job;
import dev.switchboard.core.store.JobClaim;
import dev.switchboard.core.store.JobDraft;
import dev.switchboard.core.store.JobState;
import dev.switchboard.core.store.JobStore;
import dev.switchboard.core.store.Submitted;
import dev.switchboard.store.jdbc.JobReads;
import java.util.List;
import java.util.Map;

/**
 * Async jobs in the shared database. Every write (submit, claim, a worker's call, cancel) is a guarded
 * statement group-committed by {@link JobCommits} with the other writes queued beside it (submits and
 * completes share one statement per batch), committed
 * with {@code synchronous_commit} on before its caller is answered. A refused call reads the job again
 * to say why; a failure that may retry tries its retry statement first, and each statement checks the
 * lease itself. The sweeper's expiry and purges run in autocommit on the {@link Pool}.
 * Nodes never hand one job to two workers: a claim locks the job's row ({@code FOR UPDATE SKIP LOCKED})
 * and every later call on the job checks its lease token under that row's lock.
 */
final class PostgresJobStore implements JobStore {
    private final Pool pool;
    private final JobCommits commits;

    PostgresJobStore(Pool pool, JobCommits commits) {
        this.pool = pool;
        this.commits = commits;
    }

    @Override
    public Submitted submit(JobDraft draft, long nowMillis) {
        return commits.run("submit of a '" + draft.type() + "' job", JobWrites.SUBMITS, new JobWrites.NewJob(draft, nowMillis));
    }

    /**
     * One write of the next group commit. Its statements refuse nothing (a taken key is an answer), so the only
     * failure is an SQL error, which rolls the whole group commit back: the batch is stored whole or not at all.
     */
    @Override
    public List<Submitted> submitAll(List<JobDraft> drafts, long nowMillis) {
        if (drafts.isEmpty()) {
            return List.of();
        }
        return commits.run("submit of " + drafts.size() + " jobs", c -> JobWrites.submitAll(c, drafts, nowMillis));
    }

    @Override
    public Job get(String id) {
        return pool.with(what("reading", id), c -> JobReads.get(c, id));
    }

    @Override
    public List<JobClaim> claim(String type, int max, long leaseMillis, long nowMillis) {
        return commits.run("claim of '" + type + "' jobs", c -> JobWrites.claim(c, type, max, leaseMillis, nowMillis));
    }

    @Override
    public Job heartbeat(String id, String lease, long nowMillis) {
        return commits.run(what("heartbeat of", id), c -> JobWrites.heartbeat(c, id, lease, nowMillis));
    }

    @Override
    public Job progress(String id, String lease, int percent, String message, long nowMillis) {
        return commits.run(what("progress of", id), c -> JobWrites.progress(c, id, lease, percent, message, nowMillis));
    }

    @Override
    public Job complete(String id, String lease, String resultType, byte[] result, long nowMillis) {
        return commits.run(what("complete of", id), JobWrites.COMPLETES, new JobWrites.Completion(id, lease, resultType, result, nowMillis));
    }

    @Override
    public Job fail(String id, String lease, String error, long retryAtMillis, long nowMillis) {
        return commits.run(what("fail of", id), c -> JobWrites.fail(c, id, lease, error, retryAtMillis, nowMillis));
    }

    @Override
    public Job cancel(String id, long nowMillis) {
        return commits.run(what("cancel of", id), c -> JobWrites.cancel(c, id, nowMillis));
    }

    @Override
    public List<Job> expireLeases(long nowMillis) {
        return pool.with("expiring job leases", c -> JobWrites.expireLeases(c, nowMillis));
    }

    @Override
    public List<String> purgeFinished(long beforeMillis) {
        return pool.with("purging finished jobs", c -> JobWrites.purgeFinished(c, beforeMillis));
    }

    @Override
    public long nextDue(String type) {
        return pool.with("finding the next due '" + type + "' job", c -> JobReads.nextDue(c, type));
    }

    @Override
    public Map<String, Map<JobState, Long>> counts() {
        return pool.with("counting jobs", JobReads::counts);
    }

    private static String what(String operation, String id) {
        return operation + " job '" + id + "'";
    }
}
