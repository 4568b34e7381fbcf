package dev.switchboard.store.sqlite;

import dev.switchboard.core.store.Job;
import dev.switchboard.core.store.JobState;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The running jobs as the writer last wrote them, so that completing one need not read back the row it
 * changes: decoding a returned row costs the writer more than the update itself. Writer thread only;
 * the most recently changed ones with a small payload, so that it holds a few megabytes at most (a job
 * with a larger payload is read back: its payload costs more than the read). An entry is a guess, never
 * trusted alone: the complete that uses it is guarded by the job's version and lease, and falls back to
 * reading the row when the guess was wrong (a change whose batch rolled back, an entry evicted). Every
 * write of a job changes its version, and every write of a job goes through {@link JobWrites}, which
 * tells this class, so a matching version is the row.
 */
final class ClaimedJobs {
    private static final int CACHED = 4_096;
    private static final int MAX_PAYLOAD = 1_024;

    private final Map<String, Job> running = new LinkedHashMap<>(1_024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Job> eldest) {
            return size() > CACHED;
        }
    };

    /** Keeps {@code job} as written when it runs (and its payload is small), forgets it otherwise. */
    void written(Job job) {
        if (job.state() == JobState.RUNNING && job.payload().length <= MAX_PAYLOAD) {
            running.put(job.id(), job);
        } else {
            running.remove(job.id());
        }
    }

    /** The job as last written while running, forgotten from here on; null when not known. */
    Job take(String id) {
        return running.remove(id);
    }

    /** {@code job} as a complete of it leaves the row: what {@code JobWrites}' complete statement sets. */
    static Job succeeded(Job job, String resultType, byte[] result, long now) {
        // SQLite hands an empty BLOB back as null, which JobRows reads as empty: the same here
        return new Job(job.id(), job.type(), JobState.SUCCEEDED, job.attempt(), job.maxAttempts(), job.timeoutMillis(), job.runAtMillis(),
                job.createdMillis(), now, job.startedMillis(), job.contentType(), job.payload(), job.progressPercent(), job.progressMessage(),
                resultType, result == null ? new byte[0] : result, null, job.cancelRequested(), job.version() + 1);
    }
}
