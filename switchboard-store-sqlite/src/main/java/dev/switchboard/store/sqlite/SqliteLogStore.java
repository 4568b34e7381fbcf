package dev.switchboard.store.sqlite;

import dev.switchboard.core.error.ErrorCode;
import dev.switchboard.core.error.SwitchboardException;
import dev.switchboard.core.message.Message;
import dev.switchboard.core.message.Topics;
import dev.switchboard.core.store.AppendListener;
import dev.switchboard.core.store.AppendRequest;
import dev.switchboard.core.store.Appended;
import dev.switchboard.core.store.GroupStore;
import dev.switchboard.core.store.JobStore;
import dev.switchboard.core.store.LogStore;
import dev.switchboard.core.store.Retention;
import dev.switchboard.core.store.StoreMetrics;
import dev.switchboard.core.store.TopicHead;
import dev.switchboard.store.jdbc.LogReads;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

/**
 * The embedded store: one SQLite file in WAL mode. Appends, consumer-group and job writes go through the
 * {@link GroupCommitWriter}'s single thread; reads run concurrently on a small pool of {@link Readers}.
 */
public final class SqliteLogStore implements LogStore {
    private static final Logger LOG = Logger.getLogger(SqliteLogStore.class.getName());
    /** The database file inside the store's directory. */
    public static final String FILE_NAME = "switchboard.db";
    /** Writes (appends, group and job writes) waiting for the writer before new ones are refused as "store busy". */
    public static final int DEFAULT_QUEUE_LIMIT = 100_000;
    private static final int READ_CONNECTIONS = 4;
    private static final int BUSY_TIMEOUT_MILLIS = 5_000;

    private final Path file;
    private final String epoch;
    private final WriteConnection writeConnection;
    private final GroupCommitWriter writer;
    private final Readers readers;
    private final SqliteGroupStore groups;
    private final SqliteJobStore jobs;
    private final AtomicBoolean closed = new AtomicBoolean();

    private SqliteLogStore(Path file, String epoch, WriteConnection writeConnection, GroupCommitWriter writer, Readers readers,
            SqliteGroupStore groups, SqliteJobStore jobs) {
        this.file = file;
        this.epoch = epoch;
        this.writeConnection = writeConnection;
        this.writer = writer;
        this.readers = readers;
        this.groups = groups;
        this.jobs = jobs;
    }

    /** Opens the store in {@code dir} (created when missing), with the system clock and a 24h key TTL. */
    public static SqliteLogStore open(Path dir) {
        return open(dir, Clock.systemUTC(), Duration.ofHours(24), StoreMetrics.NONE);
    }

    /**
     * @param clock          stamps message times and ages idempotency keys
     * @param idempotencyTtl how long an idempotency key is remembered
     */
    public static SqliteLogStore open(Path dir, Clock clock, Duration idempotencyTtl, StoreMetrics metrics) {
        return open(dir, clock, idempotencyTtl, metrics, DEFAULT_QUEUE_LIMIT);
    }

    static SqliteLogStore open(Path dir, Clock clock, Duration idempotencyTtl, StoreMetrics metrics, int queueLimit) {
        Path file = dir.resolve(FILE_NAME);
        Connection db = null;
        try {
            Files.createDirectories(dir);
            db = connect(file);
            try (Statement s = db.createStatement()) {
                s.execute("PRAGMA journal_mode = WAL");
                s.execute("PRAGMA synchronous = FULL");
            }
            String epoch = Schema.prepare(db, file.toString());
            WriteConnection writeConnection = new WriteConnection(db);
            GroupWrites groupWrites = new GroupWrites(db);
            JobWrites jobWrites = new JobWrites(db);
            Readers readers = new Readers(READ_CONNECTIONS, () -> {
                Connection c = connect(file);
                try (Statement s = c.createStatement()) {
                    s.execute("PRAGMA query_only = ON");
                }
                return c;
            });
            GroupCommitWriter writer = new GroupCommitWriter(writeConnection, clock, idempotencyTtl, metrics, queueLimit);
            writer.start();
            return new SqliteLogStore(file, epoch, writeConnection, writer, readers, new SqliteGroupStore(writer, groupWrites, readers),
                    new SqliteJobStore(writer, jobWrites, readers));
        } catch (IOException | SQLException | RuntimeException e) {
            closeQuietly(db);
            throw new SwitchboardException(ErrorCode.STORE_UNAVAILABLE, "cannot open the SQLite store " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String epoch() {
        return epoch;
    }

    @Override
    public void listen(AppendListener listener) {
        writer.listen(listener);
    }

    @Override
    public CompletableFuture<Appended> append(AppendRequest request) {
        return writer.append(request);
    }

    @Override
    public List<Message> read(String topic, long after, int limit) {
        return readers.with("read of '" + topic + "'", c -> LogReads.read(c, topic, after, limit));
    }

    @Override
    public TopicHead head(String topic) {
        List<TopicHead> heads = heads("head of '" + topic + "'", "WHERE t.name = ?", topic);
        return heads.isEmpty() ? TopicHead.empty(topic) : heads.getFirst();
    }

    @Override
    public List<TopicHead> topics() {
        return heads("listing topics", "WHERE t.name NOT LIKE '\\_%' ESCAPE '\\' ORDER BY t.name", null);
    }

    @Override
    public GroupStore groups() {
        return groups;
    }

    @Override
    public JobStore jobs() {
        return jobs;
    }

    @Override
    public int drop(List<String> reservedTopics) {
        reservedTopics.forEach(Topics::requireReserved);
        return reservedTopics.isEmpty() ? 0 : writer.drop(reservedTopics);
    }

    @Override
    public long trim(String topic, Retention retention, long nowMillis) {
        return writer.trim(topic, retention, nowMillis);
    }

    /** Finishes queued appends, then checkpoints the WAL into the database file and closes every connection. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        writer.close();
        readers.close();
        try {
            writeConnection.checkpoint();
        } catch (SQLException e) {
            LOG.log(Level.WARNING, "checkpoint of " + file + " at close failed; SQLite replays the WAL at next open", e);
        }
        try {
            writeConnection.close();
        } catch (SQLException e) {
            LOG.log(Level.WARNING, "closing " + file + " failed", e);
        }
    }

    @Override
    public String toString() {
        return "SqliteLogStore[" + file + ", epoch " + epoch + "]";
    }

    /** One statement, so first and last come from one snapshot even while the writer commits. */
    private List<TopicHead> heads(String what, String clause, String topic) {
        return readers.with(what, c -> LogReads.heads(c, clause, topic));
    }

    private static Connection connect(Path file) throws SQLException {
        SQLiteConfig options = new SQLiteConfig();
        // Otherwise the driver matches every statement against a regex and follows each INSERT with a
        // freshly prepared "SELECT last_insert_rowid()"; nothing here asks for generated keys.
        options.setGetGeneratedKeys(false);
        // Each connection here is used by one thread at a time (the writer's or a borrowed
        // reader), so SQLite's lock around every call, several per row bound or read, guards nothing.
        options.setOpenMode(SQLiteOpenMode.NOMUTEX);
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file, options.toProperties());
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout = " + BUSY_TIMEOUT_MILLIS);
        }
        return c;
    }

    private static void closeQuietly(Connection c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (SQLException e) {
            LOG.log(Level.FINE, "closing a connection after a failed open", e);
        }
    }
}
