package dev.switchboard.core.store;

import java.util.List;
import java.util.Map;

/**
 * Async jobs: records with a lifecycle, claimed by workers under leases. Every store passes
 * {@code JobStoreContract}.
 *
 * <p>Each call is one atomic step (one transaction): nodes sharing a store never hand one job to two
 * workers at once. A refused call changes nothing. Every method blocks on I/O and must not be
 * called from an event loop. The store does not publish job events; the caller does, after each
 * change, from the returned record.
 */
public interface JobStore {

    /** Creates a queued job (version 1), or returns the job submitted earlier with the same idempotency key. */
    Submitted submit(JobDraft draft, long nowMillis);

    /**
     * Submits every draft in one atomic step (all or none), answering in draft order. Each idempotency key
     * behaves as in {@link #submit}: a key already stored, or used earlier in the same list for the same
     * type, answers that first job, not created. An empty list stores nothing and answers an empty list.
     */
    List<Submitted> submitAll(List<JobDraft> drafts, long nowMillis);

    /** The job, or null when there is none with this id (never existed, or removed after its retention). */
    Job get(String id);

    /**
     * Claims up to {@code max} due queued jobs of {@code type}, oldest by run-at time, then creation, in
     * that order: each becomes running, its attempt grows by one and starts now, and it is leased for
     * {@code leaseMillis} — but never past the attempt's end (start + the job's timeout). The jobs of one
     * claim share one new lease token, which every later call presents with the job's id. Empty when none
     * is due. One call is one atomic step, however many it claims:
     * a batch costs one statement where the store can, which is what lets a worker pool keep up.
     */
    List<JobClaim> claim(String type, int max, long leaseMillis, long nowMillis);

    /**
     * Extends the lease of a running job by the claim's lease time, never past the attempt's end. A job
     * whose cancellation was asked becomes cancelled instead (the lease ends), and is returned so the
     * worker sees it.
     *
     * @throws dev.switchboard.core.error.SwitchboardException {@code LEASE_NOT_HELD} when {@code lease} is not
     *         the job's current lease (spent, foreign, or the lease ran out and the job moved on);
     *         {@code NOT_FOUND} for an unknown job
     */
    Job heartbeat(String id, String lease, long nowMillis);

    /** A heartbeat that also records progress ({@code percent} 0..100, {@code message} may be null). */
    Job progress(String id, String lease, int percent, String message, long nowMillis);

    /** Ends the attempt with success: the job is succeeded with {@code result}. Same refusals as {@link #heartbeat}. */
    Job complete(String id, String lease, String resultType, byte[] result, long nowMillis);

    /**
     * Ends the attempt with a failure. With attempts left and {@code retryAtMillis >= 0} the job is
     * queued again to run at {@code retryAtMillis}; otherwise it is failed. Same refusals as {@link #heartbeat}.
     */
    Job fail(String id, String lease, String error, long retryAtMillis, long nowMillis);

    /**
     * Cancels: a queued job at once; a running one is marked and ends at its worker's next heartbeat or
     * progress (or when its lease runs out). A finished job is returned unchanged. Null for an unknown job.
     */
    Job cancel(String id, long nowMillis);

    /**
     * Ends every lease that ran out by {@code nowMillis} (no heartbeat in time, or the attempt reached its
     * timeout): such a job is queued again at once when it has attempts left, cancelled if that was
     * asked, or failed; its error says which limit ended it. Returns the jobs it changed.
     */
    List<Job> expireLeases(long nowMillis);

    /** Removes finished jobs last changed before {@code beforeMillis}; returns their ids. */
    List<String> purgeFinished(long beforeMillis);

    /** The earliest time a queued job of {@code type} becomes due ({@link Long#MAX_VALUE} when none is queued). */
    long nextDue(String type);

    /** Jobs by type, then by state, for metrics. */
    Map<String, Map<JobState, Long>> counts();
}
