package dev.switchboard.core.store.memory;

import dev.switchboard.core.store.Job;
import dev.switchboard.core.store.JobClaim;
import dev.switchboard.core.store.JobDraft;
import dev.switchboard.core.store.JobIds;
import dev.switchboard.core.store.JobState;
import dev.switchboard.core.store.JobStore;
import dev.switchboard.core.store.LeaseRefusals;
import dev.switchboard.core.store.Submitted;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/** Jobs of the {@link MemoryLogStore}: records in maps, every call under one lock, so each is atomic. */
final class MemoryJobStore implements JobStore {
    private final Map<String, Entry> jobs = new LinkedHashMap<>();
    private final Map<String, String> byKey = new HashMap<>();

    /** A job plus what only the store sees: the current lease. */
    private static final class Entry {
        Job job;
        String lease;
        long leaseMillis;
        long leaseUntil;
        String key;

        Entry(Job job, String key) {
            this.job = job;
            this.key = key;
        }
    }

    @Override
    public synchronized Submitted submit(JobDraft d, long now) {
        requireType(d);
        return store(d, now);
    }

    @Override
    public synchronized List<Submitted> submitAll(List<JobDraft> drafts, long now) {
        drafts.forEach(MemoryJobStore::requireType); // all or none: what the databases' NOT NULL refuses, refused before any is stored
        return drafts.stream().map(d -> store(d, now)).toList(); // one lock held throughout: atomic
    }

    /** The job a checked draft makes, or the one already holding its idempotency key; the caller holds the lock. */
    private Submitted store(JobDraft d, long now) {
        if (d.idempotencyKey() != null) {
            String id = byKey.get(d.type() + '\n' + d.idempotencyKey());
            if (id != null) {
                return new Submitted(jobs.get(id).job, false);
            }
        }
        Job job = new Job(JobIds.next(now), d.type(), JobState.QUEUED, 0, d.maxAttempts(), d.timeoutMillis(), Math.max(d.runAtMillis(), 0),
                now, now, 0, d.contentType(), d.payload(), 0, null, null, null, null, false, 1);
        String key = d.idempotencyKey() == null ? null : d.type() + '\n' + d.idempotencyKey();
        jobs.put(job.id(), new Entry(job, key));
        if (key != null) {
            byKey.put(key, job.id());
        }
        return new Submitted(job, true);
    }

    /** The databases' schema refuses a job without a type; so does this store, rather than keep one no claim can find. */
    private static void requireType(JobDraft d) {
        if (d.type() == null) {
            throw new IllegalArgumentException("a job needs a type");
        }
    }

    @Override
    public synchronized Job get(String id) {
        Entry e = jobs.get(id);
        return e == null ? null : e.job;
    }

    @Override
    public synchronized List<JobClaim> claim(String type, int max, long leaseMillis, long now) {
        List<Entry> due = jobs.values().stream()
                .filter(e -> e.job.type().equals(type) && e.job.state() == JobState.QUEUED && e.job.runAtMillis() <= now)
                .sorted(Comparator.comparingLong((Entry e) -> e.job.runAtMillis()).thenComparingLong(e -> e.job.createdMillis())
                        .thenComparing(e -> e.job.id()))
                .limit(max)
                .toList();
        List<JobClaim> claims = new ArrayList<>(due.size());
        String lease = UUID.randomUUID().toString(); // the claim's, as in the SQL stores: checked with each job's id
        for (Entry next : due) {
            Job j = next.job;
            next.lease = lease;
            next.leaseMillis = leaseMillis;
            next.job = started(with(j, JobState.RUNNING, j.attempt() + 1, j.runAtMillis(), j.progressPercent(), j.progressMessage(), null,
                    null, j.error(), false, now), now);
            next.leaseUntil = leaseUntil(next, now);
            claims.add(new JobClaim(next.job, next.lease, next.leaseUntil));
        }
        return claims;
    }

    @Override
    public synchronized Job heartbeat(String id, String lease, long now) {
        Entry e = held("heartbeat", id, lease);
        if (e.job.cancelRequested()) {
            return finish(e, JobState.CANCELLED, null, null, e.job.error(), now);
        }
        e.leaseUntil = leaseUntil(e, now);
        return e.job;
    }

    @Override
    public synchronized Job progress(String id, String lease, int percent, String message, long now) {
        Entry e = held("progress", id, lease);
        if (e.job.cancelRequested()) {
            return finish(e, JobState.CANCELLED, null, null, e.job.error(), now);
        }
        e.leaseUntil = leaseUntil(e, now);
        Job j = e.job;
        e.job = with(j, j.state(), j.attempt(), j.runAtMillis(), percent, message, null, null, j.error(), false, now);
        return e.job;
    }

    @Override
    public synchronized Job complete(String id, String lease, String resultType, byte[] result, long now) {
        Entry e = held("complete", id, lease);
        return finish(e, JobState.SUCCEEDED, resultType, result, null, now);
    }

    @Override
    public synchronized Job fail(String id, String lease, String error, long retryAtMillis, long now) {
        Entry e = held("fail", id, lease);
        Job j = e.job;
        if (retryAtMillis >= 0 && j.attempt() < j.maxAttempts() && !j.cancelRequested()) {
            e.lease = null;
            e.job = with(j, JobState.QUEUED, j.attempt(), retryAtMillis, j.progressPercent(), j.progressMessage(), null, null, error, false, now);
            return e.job;
        }
        return finish(e, j.cancelRequested() ? JobState.CANCELLED : JobState.FAILED, null, null, error, now);
    }

    @Override
    public synchronized Job cancel(String id, long now) {
        Entry e = jobs.get(id);
        if (e == null) {
            return null;
        }
        Job j = e.job;
        return switch (j.state()) {
            case QUEUED -> finish(e, JobState.CANCELLED, null, null, j.error(), now);
            case RUNNING -> {
                if (!j.cancelRequested()) {
                    e.job = with(j, j.state(), j.attempt(), j.runAtMillis(), j.progressPercent(), j.progressMessage(), null, null, j.error(),
                            true, now);
                }
                yield e.job;
            }
            default -> j;
        };
    }

    @Override
    public synchronized List<Job> expireLeases(long now) {
        List<Job> changed = new ArrayList<>();
        for (Entry e : jobs.values()) {
            Job j = e.job;
            if (j.state() != JobState.RUNNING || e.leaseUntil > now) {
                continue;
            }
            String why = now >= j.startedMillis() + j.timeoutMillis()
                    ? "attempt " + j.attempt() + " reached its timeout of " + j.timeoutMillis() + "ms"
                    : "attempt " + j.attempt() + " lost its lease: no heartbeat within " + e.leaseMillis + "ms";
            if (j.cancelRequested()) {
                finish(e, JobState.CANCELLED, null, null, why, now);
            } else if (j.attempt() < j.maxAttempts()) {
                e.lease = null;
                e.job = with(j, JobState.QUEUED, j.attempt(), now, j.progressPercent(), j.progressMessage(), null, null, why, false, now);
            } else {
                finish(e, JobState.FAILED, null, null, why, now);
            }
            changed.add(e.job);
        }
        return changed;
    }

    @Override
    public synchronized List<String> purgeFinished(long beforeMillis) {
        List<String> removed = new ArrayList<>();
        for (Iterator<Entry> it = jobs.values().iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (e.job.state().terminal() && e.job.updatedMillis() < beforeMillis) {
                it.remove();
                if (e.key != null) {
                    byKey.remove(e.key);
                }
                removed.add(e.job.id());
            }
        }
        return removed;
    }

    @Override
    public synchronized long nextDue(String type) {
        return jobs.values().stream().filter(e -> e.job.type().equals(type) && e.job.state() == JobState.QUEUED)
                .mapToLong(e -> e.job.runAtMillis()).min().orElse(Long.MAX_VALUE);
    }

    @Override
    public synchronized Map<String, Map<JobState, Long>> counts() {
        Map<String, Map<JobState, Long>> counts = new TreeMap<>();
        for (Entry e : jobs.values()) {
            counts.computeIfAbsent(e.job.type(), t -> new EnumMap<>(JobState.class)).merge(e.job.state(), 1L, Long::sum);
        }
        return counts;
    }

    private Entry held(String what, String id, String lease) {
        Entry e = jobs.get(id);
        if (e == null) {
            throw LeaseRefusals.noJob(what, id);
        }
        if (e.job.state() != JobState.RUNNING || e.lease == null || !e.lease.equals(lease)) {
            throw LeaseRefusals.jobLeaseNotHeld(what, id, e.job.state());
        }
        return e;
    }

    private Job finish(Entry e, JobState state, String resultType, byte[] result, String error, long now) {
        Job j = e.job;
        e.lease = null;
        e.job = with(j, state, j.attempt(), j.runAtMillis(), j.progressPercent(), j.progressMessage(), resultType, result, error,
                j.cancelRequested(), now);
        return e.job;
    }

    /** The lease a claim or heartbeat gives: the claim's lease time from now, never past the attempt's end. */
    private static long leaseUntil(Entry e, long now) {
        return Math.min(now + e.leaseMillis, e.job.startedMillis() + e.job.timeoutMillis());
    }

    private static Job started(Job j, long now) {
        return new Job(j.id(), j.type(), j.state(), j.attempt(), j.maxAttempts(), j.timeoutMillis(), j.runAtMillis(), j.createdMillis(),
                j.updatedMillis(), now, j.contentType(), j.payload(), j.progressPercent(), j.progressMessage(), j.resultType(), j.result(),
                j.error(), j.cancelRequested(), j.version());
    }

    private static Job with(Job j, JobState state, int attempt, long runAt, int percent, String message, String resultType, byte[] result,
            String error, boolean cancelRequested, long now) {
        return new Job(j.id(), j.type(), state, attempt, j.maxAttempts(), j.timeoutMillis(), runAt, j.createdMillis(), now, j.startedMillis(),
                j.contentType(),
                j.payload(), percent, message, resultType, result, error, cancelRequested, j.version() + 1);
    }
}
