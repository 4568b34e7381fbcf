package dev.switchboard.client;

/**
 * A running worker for one job type, started by {@link SwitchboardClient#work}: {@link WorkOptions#concurrency()}
 * virtual threads, each long-polling {@code POST /v1/workers/claim}, running the {@link JobHandler} and completing
 * or failing the job by how it ended. When the server is unreachable each thread claims again after a jittered
 * exponential backoff; the worker ends only when closed, on a claim refusal that cannot be retried, or on the
 * handler's {@link Error}.
 *
 * <p>Thread-safe; {@link #close()} may be called from any thread, a handler's included, and more than once.
 */
public interface JobWorker extends AutoCloseable {
    String type();

    boolean isOpen();

    /** Jobs run to an end (completed, failed or cancelled) by this worker so far. */
    long handled();

    /**
     * Stops claiming: a claim in flight is abandoned (the hang-up gives its job back to the queue at once); running
     * handlers may finish within {@link WorkOptions#stopGrace()} and their jobs are completed or failed as usual.
     * A handler still running after that is interrupted; its job goes back to the queue when its lease runs out.
     * Called from a handler, it returns at once and the worker stops after that handler's job.
     */
    @Override
    void close();
}
