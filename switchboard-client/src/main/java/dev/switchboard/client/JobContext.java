package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a {@link JobHandler} sees of the job it runs: the claim (job, payload, lease) and the calls that report
 * progress and keep the lease.
 *
 * <p><b>Leases.</b> By default the worker renews the lease by itself while the handler runs
 * ({@link WorkOptions#autoHeartbeat}), so {@link #heartbeat} is optional; with {@link WorkOptions#noAutoHeartbeat()}
 * call it or {@link #progress} at least once per lease, or the server gives the job to another attempt.
 *
 * <p><b>Losing the job.</b> Once a renewal (the handler's own or the automatic one) answers that the job was
 * cancelled, or that the lease is not held any more, the job is lost: the handler's thread is interrupted (a
 * blocking call in it throws {@link InterruptedException}, a busy loop can check
 * {@link Thread#isInterrupted()}), and {@link #heartbeat} and {@link #progress} throw
 * {@link JobCancelledException} or {@link JobLeaseLostException} from then on without asking the server. Whatever
 * the handler then returns or throws, the worker neither completes nor fails the job.
 *
 * <p><b>Timeouts.</b> Each call waits for its answer up to the client's {@code requestTimeout}; one that gets no
 * answer throws a retryable {@link SwitchboardClientException} and leaves the lease as it was.
 *
 * <p><b>Threads.</b> Meant for the handler's thread; the calls are thread-safe, so work the handler hands to
 * other threads may report progress too. Valid until the handler returns.
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

    /** Records progress ({@code percent} 0..100; {@code message} may be null), visible to followers, and renews the lease. */
    void progress(int percent, String message);

    /** Renews the lease. */
    void heartbeat();
}
