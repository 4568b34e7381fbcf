package dev.switchboard.store.sqlite;

import dev.switchboard.store.jdbc.StoreThreads;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Copies committed pages from the WAL into the database file, on its own thread and connection, so that
 * the writer does not: SQLite's automatic checkpoint runs inside the commit that fills the WAL to its
 * threshold, on the writer's thread, and reading the WAL back, writing the pages and syncing the file
 * there was a quarter of the writer's I/O. A passive checkpoint runs beside the writer's commits and
 * copies only what is already durable in the WAL, so it changes no promise made to a caller.
 *
 * <p>It runs every {@link #INTERVAL_MILLIS} when something was committed since the last one. The writer
 * keeps its own automatic checkpoint, at {@link #WRITER_PAGES}, as the bound on the WAL's size: only the
 * writer can start the WAL over (when every frame in it was copied), and a checkpoint on its thread
 * finds most pages copied already.
 */
final class Checkpointer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Checkpointer.class.getName());
    static final long INTERVAL_MILLIS = 100;
    /** The writer's automatic checkpoint threshold, in pages (SQLite's default is 1,000). */
    static final int WRITER_PAGES = 4_000;

    private final Connection db;
    private final LongSupplier commits;
    private final Thread thread = Thread.ofPlatform().name("sb-sqlite-checkpoint").daemon().unstarted(this::run);
    private volatile boolean closed;
    private boolean failing; // this thread only

    /** @param commits how many batches the writer committed so far; the checkpointer rests while it stays put */
    Checkpointer(Connection db, LongSupplier commits) {
        this.db = db;
        this.commits = commits;
    }

    void start() {
        thread.start();
    }

    /** Stops after the checkpoint running, if any, and closes the connection. */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
        StoreThreads.awaitEnd(thread);
        try {
            db.close();
        } catch (SQLException e) {
            LOG.log(Level.FINE, "closing the checkpoint connection failed", e);
        }
    }

    private void run() {
        long checkpointedAt = commits.getAsLong();
        while (!closed) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(INTERVAL_MILLIS));
            long committed = commits.getAsLong();
            if (committed != checkpointedAt && !closed) {
                checkpointedAt = committed;
                checkpoint();
            }
        }
    }

    private void checkpoint() {
        try (Statement s = db.createStatement()) {
            s.execute("PRAGMA wal_checkpoint(PASSIVE)");
            if (failing) {
                failing = false;
                LOG.info("WAL checkpoints work again");
            }
        } catch (SQLException e) {
            if (!failing) {
                // once per outage; meanwhile the writer's own checkpoint bounds the WAL
                LOG.log(Level.WARNING, "WAL checkpoint failed; retrying every " + INTERVAL_MILLIS + "ms", e);
            }
            failing = true;
        }
    }
}
