package dev.switchboard.store.sqlite;

import dev.switchboard.core.error.ErrorCode;
import dev.switchboard.core.error.SwitchboardException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A small fixed pool of read-only connections. WAL lets them read while the writer commits. Callers are
 * often virtual threads, so a connection per thread would be a connection per request: they queue
 * for one of these instead.
 */
final class Readers implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Readers.class.getName());
    private static final long CLOSE_WAIT_SECONDS = 10;

    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    @FunctionalInterface
    interface Opener {
        Connection open() throws SQLException;
    }

    private final BlockingQueue<Connection> idle;
    private final int size;
    private volatile boolean closed;

    Readers(int size, Opener opener) throws SQLException {
        this.size = size;
        this.idle = new ArrayBlockingQueue<>(size);
        try {
            for (int i = 0; i < size; i++) {
                idle.add(opener.open());
            }
        } catch (SQLException e) {
            idle.forEach(Readers::closeQuietly);
            throw e;
        }
    }

    /** Runs {@code work} on a pooled connection; {@code what} names the operation in errors. */
    <T> T with(String what, Work<T> work) {
        if (closed) {
            throw new SwitchboardException(ErrorCode.STORE_UNAVAILABLE, what + " refused: the store is closed");
        }
        Connection c;
        try {
            c = idle.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SwitchboardException(ErrorCode.STORE_UNAVAILABLE, what + " interrupted waiting for one of " + size + " read connections");
        }
        try {
            return work.run(c);
        } catch (SQLException e) {
            throw new SwitchboardException(ErrorCode.STORE_UNAVAILABLE, what + " failed in SQLite: " + e.getMessage(), e);
        } finally {
            idle.add(c);
        }
    }

    /** Closes every connection, waiting for those lent out to come back. */
    @Override
    public void close() {
        closed = true;
        int closedCount = 0;
        try {
            while (closedCount < size) {
                Connection c = idle.poll(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
                if (c == null) {
                    break;
                }
                closeQuietly(c);
                closedCount++;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (closedCount < size) {
            LOG.warning(() -> "closed the SQLite store with reads still running on some of its " + size + " read connections");
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            LOG.log(Level.FINE, "closing a read connection failed", e);
        }
    }
}
