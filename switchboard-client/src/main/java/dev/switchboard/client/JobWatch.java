package dev.switchboard.client;

/**
 * Follows one job for a {@link JobListener}, started by {@link SwitchboardClient#watchJob}: the job now, then every
 * change, until it finishes. It ends by itself after delivering the finished job.
 *
 * <p><b>How.</b> Long polls on the job's version ({@code GET /v1/jobs/{id}?wait=30s&version=N}), not its event
 * stream ({@code /v1/jobs/{id}/events}): the record is the truth and its events follow it without holding up the
 * answer, so a crash between the two can leave a change, the final one included, without an event; a watch reading
 * the record always sees the job finish and so always ends. The cost is one round trip per change seen, and changes
 * made within one round trip arrive as the latest of them, which is what a progress bar wants. Lost connections
 * are retried with jittered backoff from the last version seen.
 *
 * <p><b>Timeouts.</b> Each long poll asks for 30 s (less when the server's {@code max-wait} is lower) and waits
 * that plus the client's {@code requestTimeout}. A watch has no deadline of its own: it ends when the job finishes,
 * on a refusal, or when closed; for a deadline use {@link SwitchboardClient#awaitJob}.
 *
 * <p><b>Threads.</b> The listener is called from one virtual thread belonging to this watch. Thread-safe;
 * {@link #close()} may be called from any thread, the listener's included, and more than once.
 */
public interface JobWatch extends AutoCloseable {
    String jobId();

    /** The last job delivered to the listener; null before the first. */
    Job last();

    boolean isOpen();

    /**
     * Stops following: hangs up the poll in flight, interrupts the listener's current call and waits up to 5 s for
     * it; no listener call starts after this returns (except {@link JobListener#onEnd}).
     */
    @Override
    void close();
}
