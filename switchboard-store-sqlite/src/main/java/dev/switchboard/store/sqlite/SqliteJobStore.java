package dev.switchboard.store.sqlite;

import dev.switchboard.core.store.Job;
import dev.switchboard.core.store.JobClaim;
import dev.switchboard.core.store.JobDraft;
import dev.switchboard.core.store.JobIds;
import dev.switchboard.core.store.JobState;
import dev.switchboard.core.store.JobStore;
import dev.switchboard.core.store.Submitted;
import dev.switchboard.store.jdbc.JobReads;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Async jobs in the SQLite file. Writes run on the {@link GroupCommitWriter}'s thread, so claims are
 * serialized (a job is never handed out twice) and many submits, claims and completions share one
 * commit and one fsync; the caller blocks until its write is durable. Job ids and lease tokens are drawn
 * here, on the caller's thread, to keep the writer's work short. Reads borrow one of the {@link Readers}.
 */
final class SqliteJobStore implements JobStore {
    private final GroupCommitWriter writer;
    private final JobWrites writes;
    private final Readers readers;

    SqliteJobStore(GroupCommitWriter writer, JobWrites writes, Readers readers) {
        this.writer = writer;
        this.writes = writes;
        this.readers = readers;
    }

    @Override
    public Submitted submit(JobDraft draft, long nowMillis) {
        String id = JobIds.next(nowMillis);
        return writer.runOneStatement("submit of a '" + draft.type() + "' job", () -> writes.submit(id, draft, nowMillis));
    }

    /** One writer work with a savepoint: its inserts are several statements, and a failed one must undo the rest. */
    @Override
    public List<Submitted> submitAll(List<JobDraft> drafts, long nowMillis) {
        if (drafts.isEmpty()) {
            return List.of();
        }
        List<String> ids = drafts.stream().map(d -> JobIds.next(nowMillis)).toList();
        return writer.run("submit of " + drafts.size() + " jobs", () -> writes.submitAll(ids, drafts, nowMillis));
    }

    @Override
    public Job get(String id) {
        return readers.with(what("reading", id), c -> JobReads.get(c, id));
    }

    @Override
    public List<JobClaim> claim(String type, int max, long leaseMillis, long nowMillis) {
        String lease = UUID.randomUUID().toString();
        return writer.runOneStatement("claim of '" + type + "' jobs", () -> writes.claim(type, max, lease, leaseMillis, nowMillis));
    }

    @Override
    public Job heartbeat(String id, String lease, long nowMillis) {
        return writer.runOneStatement(what("heartbeat of", id), () -> writes.heartbeat(id, lease, nowMillis));
    }

    @Override
    public Job progress(String id, String lease, int percent, String message, long nowMillis) {
        return writer.runOneStatement(what("progress of", id), () -> writes.progress(id, lease, percent, message, nowMillis));
    }

    @Override
    public Job complete(String id, String lease, String resultType, byte[] result, long nowMillis) {
        return writer.runOneStatement(what("complete of", id), () -> writes.complete(id, lease, resultType, result, nowMillis));
    }

    @Override
    public Job fail(String id, String lease, String error, long retryAtMillis, long nowMillis) {
        return writer.runOneStatement(what("fail of", id), () -> writes.fail(id, lease, error, retryAtMillis, nowMillis));
    }

    @Override
    public Job cancel(String id, long nowMillis) {
        return writer.runOneStatement(what("cancel of", id), () -> writes.cancel(id, nowMillis));
    }

    @Override
    public List<Job> expireLeases(long nowMillis) {
        return writer.runOneStatement("expiring job leases", () -> writes.expireLeases(nowMillis));
    }

    @Override
    public List<String> purgeFinished(long beforeMillis) {
        return writer.runOneStatement("purging finished jobs", () -> writes.purgeFinished(beforeMillis));
    }

    @Override
    public long nextDue(String type) {
        return readers.with("finding the next due '" + type + "' job", c -> JobReads.nextDue(c, type));
    }

    @Override
    public Map<String, Map<JobState, Long>> counts() {
        return readers.with("counting jobs", JobReads::counts);
    }

    private static String what(String operation, String id) {
        return operation + " job '" + id + "'";
    }
}
