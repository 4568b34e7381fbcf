package dev.switchboard.store.jdbc;

/** What the stores' own threads (writers, the LISTEN loop) share about ending. */
public final class StoreThreads {
    private StoreThreads() {}

    /**
     * Waits for {@code thread} to end, keeping an interrupt of the caller for after: a store's close must
     * not return while its thread still works on what it was given.
     */
    public static void awaitEnd(Thread thread) {
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
