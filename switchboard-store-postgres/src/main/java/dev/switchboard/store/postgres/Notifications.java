package dev.switchboard.store.postgres;

import dev.switchboard.store.jdbc.StoreThreads;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * How a node learns of other nodes' appends: every batch NOTIFYs, on a channel named after the schema,
 * {@code <topic>:<first>:<last>} for each topic it appended to (offsets only, never payloads: a NOTIFY
 * payload is capped at 8000 bytes, and the messages are in the store anyway). This thread LISTENs and
 * hands each one to the {@link Tellers}, which read the messages and tell the hub.
 *
 * <p>The listening connection is its own, outside the pool: LISTEN belongs to a session, and a pooled
 * connection goes back to the pool (and, behind a transaction-mode PgBouncer, to another client's
 * session) after every use, taking the registration with it. If the connection breaks, this thread
 * opens a new one after {@link #RETRY}; notifications sent meanwhile are lost, so once it listens again
 * it asks {@code relistened} to tell what was committed in between (read from the store), instead of
 * leaving live subscribers waiting for the topic's next append.
 */
final class Notifications implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Notifications.class.getName());
    static final Duration RETRY = Duration.ofSeconds(1);
    private static final int POLL_MILLIS = 250;

    private final PostgresTarget target;
    private final Tellers tellers;
    private final Runnable relistened;
    private final Thread thread;
    private volatile boolean closed;
    private Connection initial; // listening before start() returns; then the thread's

    /** @param relistened run on this thread each time listening starts again after a break */
    Notifications(PostgresTarget target, Tellers tellers, Runnable relistened) {
        this.target = target;
        this.tellers = tellers;
        this.relistened = relistened;
        this.thread = Thread.ofPlatform().name("sb-postgres-listen").daemon().unstarted(this::run);
    }

    /** The NOTIFY payload for one topic of a committed batch; the topic may contain ':' so it goes first. */
    static String payload(String topic, long first, long last) {
        return topic + ':' + first + ':' + last;
    }

    /** Listens before returning, so every append committed after this is heard. */
    void start() throws SQLException {
        initial = listen();
        thread.start(); // publishes initial to the thread
    }

    private void run() {
        Connection c = initial;
        while (!closed) {
            try {
                if (c == null) {
                    c = listen();
                    LOG.info(() -> "listening again for other nodes' appends on " + target.describe());
                    relistened.run(); // after LISTEN: a commit in between is in both, and told once
                }
                PGNotification[] received = c.unwrap(PGConnection.class).getNotifications(POLL_MILLIS);
                for (PGNotification n : received == null ? new PGNotification[0] : received) {
                    dispatch(n.getParameter());
                }
            } catch (SQLException | RuntimeException e) {
                if (closed) {
                    break;
                }
                LOG.log(Level.WARNING, "listening for other nodes' appends on " + target.describe() + " failed; retrying in "
                        + RETRY.toMillis() + "ms", e);
                closeQuietly(c);
                c = null;
                pause();
            }
        }
        closeQuietly(c);
    }

    private void dispatch(String payload) {
        int lastColon = payload.lastIndexOf(':');
        int firstColon = payload.lastIndexOf(':', lastColon - 1);
        long first;
        long last;
        try {
            first = Long.parseLong(payload.substring(firstColon + 1, lastColon));
            last = Long.parseLong(payload.substring(lastColon + 1));
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            first = -1;
            last = -1;
        }
        if (firstColon <= 0 || first < 1 || last < first) {
            LOG.warning(() -> "ignoring a malformed notification on channel " + target.schema() + ": " + payload);
            return;
        }
        tellers.committedSomewhere(payload.substring(0, firstColon), first, last);
    }

    private Connection listen() throws SQLException {
        Connection c = DriverManager.getConnection(target.jdbcUrl());
        try (Statement s = c.createStatement()) {
            s.execute("LISTEN " + target.schema()); // the schema name is a checked identifier
            return c;
        } catch (SQLException e) {
            closeQuietly(c);
            throw e;
        }
    }

    private void pause() {
        try {
            Thread.sleep(RETRY);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        StoreThreads.awaitEnd(thread);
    }

    private static void closeQuietly(Connection c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (SQLException e) {
            LOG.log(Level.FINE, "closing the listening connection", e);
        }
    }
}
