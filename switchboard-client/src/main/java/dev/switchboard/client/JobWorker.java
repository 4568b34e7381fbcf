package dev.switchboard.client;

/**
 * A running worker for one job type, started by {@link SwitchboardClient#work}: {@link WorkOptions#concurrency()}
 * virtual threads, each long-polling {@code POST /v1/workers/claim}, running the {@link JobHandler} and completing
 * or failing the job by how it ended. When the server is unreachable each thread claims again after a jittered
 * exponential backoff; the worker ends only when closed, on a claim refusal that cannot be retried, or on the
 * handler's {@link Error}.
 *
 * <p><b>Leases.</b> While a handler runs, the worker heartbeats its job by itself whenever a third of the lease
 * passed without a renewal ({@link WorkOptions#autoHeartbeat}; off with {@link WorkOptions#noAutoHeartbeat()}), from
 * a virtual thread named after the handler's with {@code -heartbeat}. A heartbeat answered {@code cancelled} or
 * {@code 409 lease-not-held} interrupts the handler and makes its {@link JobContext} calls throw; the worker then
 * neither completes nor fails that job (the refusal goes to {@link JobHandler#onProblem}). A heartbeat that gets
 * no answer is tried again a turn later: at the default pace the lease outlives one unanswered heartbeat.
 *
 * <p><b>Timeouts.</b> Claims long-poll {@link WorkOptions#claimWait()} plus the client's {@code requestTimeout};
 * every other call waits up to {@code requestTimeout}.
 *
 * <p><b>Threads.</b> One virtual thread claims ({@code sb-client-worker-<type>}), as many jobs in one claim as there
 * are free slots; the handler runs on a virtual thread per job ({@code sb-client-job-<type>}), at most
 * {@link WorkOptions#concurrency()} at once. Thread-safe; {@link #close()} may be called from any thread, a handler's included, and more than
 * once.
 */
public interface JobWorker extends AutoCloseable {
    String type();

    boolean isOpen();

    /** Jobs run to an end (completed, failed or cancelled) by this worker so far. */
    long handled();

    /**
     * Stops claiming: a claim in flight is abandoned (the hang-up gives its job back to the queue at once); running
     * handlers may finish within {@link WorkOptions#stopGrace()} and their jobs are completed or failed as usual.
     * A handler still running after that is interrupted and its lease no longer renewed; if it does not stop, its
     * job goes back to the queue when the lease runs out.
     * Called from a handler, it returns at once and the worker stops after that handler's job.
     */
    @Override
    void close();
}
