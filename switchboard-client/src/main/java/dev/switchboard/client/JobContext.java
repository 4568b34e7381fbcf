package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a {@link JobHandler} sees of the job it runs: the claim (job, payload, lease) and the calls that keep the
 * lease alive. Call {@link #heartbeat} or {@link #progress} at least once per lease ({@link WorkOptions#lease()}),
 * or the server gives the job to another attempt; both throw {@link JobCancelledException} once the job was
 * cancelled, and a {@link SwitchboardClientException} ({@code 409 lease-not-held}) once the lease was lost.
 * Used from the handler's thread.
 */
public interface JobContext {
    JobClaim claim();

    default Job job() {
        return claim().job();
    }

    /** The payload as JSON (a string for a text payload). */
    default JsonNode payload() {
        return claim().payload();
    }

    /** Records progress (visible to followers of the job) and renews the lease. */
    void progress(int percent, String message);

    /** Renews the lease. */
    void heartbeat();
}
