package dev.switchboard.store.postgres;

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
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The shared store: several nodes open the same {@link PostgresTarget} and see one log. Appends go
 * through this node's {@link GroupCommitWriter}; reads, trims, consumer groups
 * ({@link PostgresGroupStore}) and jobs ({@link PostgresJobStore}) borrow from the {@link Pool}; other
 * nodes' appends reach this node's listener through {@link Notifications}.
 * See docs/postgres.md for the schema and why offsets can be trusted under concurrent writers.
 */
public final class PostgresLogStore implements LogStore {
    private static final Logger LOG = Logger.getLogger(PostgresLogStore.class.getName());
    /** Appends waiting for the writer before new ones are refused as "store busy". */
    public static final int DEFAULT_QUEUE_LIMIT = 100_000;

    private final PostgresTarget target;
    private final String epoch;
    private final Pool pool;
    private final Tellers tellers;
    private final GroupCommitWriter writer;
    private final Notifications notifications;
    private final PostgresGroupStore groups;
    private final JobCommits jobCommits;
    private final PostgresJobStore jobs;
    private final AtomicBoolean closed = new AtomicBoolean();

    private PostgresLogStore(PostgresTarget target, Pool pool, Clock clock, Duration keyTtl, StoreMetrics metrics) {
        this.target = target;
        this.pool = pool;
        this.epoch = pool.with("migrating " + target.describe(), c -> {
            Schema.migrate(c, target.schema());
            return Schema.epoch(c);
        });
        this.tellers = new Tellers(this::read);
        this.writer = new GroupCommitWriter(pool, clock, keyTtl, metrics, tellers, DEFAULT_QUEUE_LIMIT);
        this.notifications = new Notifications(target, tellers, this::catchUpAfterBreak);
        this.groups = new PostgresGroupStore(pool);
        this.jobCommits = new JobCommits(pool, DEFAULT_QUEUE_LIMIT);
        this.jobs = new PostgresJobStore(pool, jobCommits);
    }

    /** Opens the store with the system clock, a 24h idempotency-key TTL and the default pool. */
    public static PostgresLogStore open(PostgresTarget target) {
        return open(target, PoolOptions.DEFAULTS, Clock.systemUTC(), Duration.ofHours(24), StoreMetrics.NONE);
    }

    /**
     * Connects, migrates the schema to this build's version and starts the writer.
     *
     * @param clock          stamps message times and ages idempotency keys
     * @param idempotencyTtl how long an idempotency key is remembered
     */
    public static PostgresLogStore open(PostgresTarget target, PoolOptions poolOptions, Clock clock, Duration idempotencyTtl,
            StoreMetrics metrics) {
        return open(target, poolOptions, clock, idempotencyTtl, metrics, PoolMetrics.NONE);
    }

    /** As above, reporting the pool's connections and waits to {@code poolMetrics}. */
    public static PostgresLogStore open(PostgresTarget target, PoolOptions poolOptions, Clock clock, Duration idempotencyTtl,
            StoreMetrics metrics, PoolMetrics poolMetrics) {
        Pool pool;
        try {
            pool = new Pool(target, poolOptions, poolMetrics);
        } catch (RuntimeException e) {
            throw new SwitchboardException(ErrorCode.STORE_UNAVAILABLE, "cannot reach PostgreSQL at " + target.describe()
                    + ": " + rootMessage(e), e);
        }
        PostgresLogStore store = null;
        try {
            store = new PostgresLogStore(target, pool, clock, idempotencyTtl, metrics);
            store.notifications.start();
            store.tellers.startFrom(store.lastOffsets()); // after LISTEN: a commit in between is in both, told once
            store.writer.start();
            store.jobCommits.start();
            return store;
        } catch (SQLException | RuntimeException e) {
            if (store != null) {
                store.notifications.close();
            }
            pool.close();
            throw e instanceof SQLException ? new SwitchboardException(ErrorCode.STORE_UNAVAILABLE, "cannot listen for other "
                    + "nodes' appends on " + target.describe() + ": " + e.getMessage(), e) : (RuntimeException) e;
        }
    }

    @Override
    public String epoch() {
        return epoch;
    }

    @Override
    public void listen(AppendListener listener) {
        tellers.listen(listener);
    }

    @Override
    public CompletableFuture<Appended> append(AppendRequest request) {
        return writer.append(request);
    }

    @Override
    public List<Message> read(String topic, long after, int limit) {
        return pool.with("read of '" + topic + "'", c -> LogReads.read(c, topic, after, limit));
    }

    @Override
    public TopicHead head(String topic) {
        List<TopicHead> heads = heads("head of '" + topic + "'", "WHERE t.name = ?", topic);
        return heads.isEmpty() ? TopicHead.empty(topic) : heads.getFirst();
    }

    @Override
    public List<TopicHead> topics() {
        return heads("listing topics", "WHERE t.last_offset > 0 AND t.name NOT LIKE '\\_%' ORDER BY t.name", null);
    }

    @Override
    public GroupStore groups() {
        return groups;
    }

    @Override
    public JobStore jobs() {
        return jobs;
    }

    /** Locks the topic's counter row, so the cut cannot race an append of any node. */
    @Override
    public int drop(List<String> reservedTopics) {
        reservedTopics.forEach(Topics::requireReserved);
        if (reservedTopics.isEmpty()) {
            return 0;
        }
        int dropped = pool.inTransaction("drop of " + reservedTopics.size() + " reserved topics", c -> {
            java.sql.Array names = c.createArrayOf("text", reservedTopics.toArray());
            for (String table : new String[] {"messages", "idempotency_keys"}) {
                try (PreparedStatement delete = c.prepareStatement("DELETE FROM " + table
                        + " WHERE topic_id IN (SELECT id FROM topics WHERE name = ANY (?))")) {
                    delete.setArray(1, names);
                    delete.executeUpdate();
                }
            }
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM topics WHERE name = ANY (?)")) {
                delete.setArray(1, names);
                return delete.executeUpdate();
            }
        });
        tellers.forget(reservedTopics);
        return dropped;
    }

    @Override
    public long trim(String topic, Retention retention, long nowMillis) {
        return pool.inTransaction("trim of '" + topic + "'", c -> Trim.run(c, topic, retention, nowMillis));
    }

    /** Finishes queued appends, then closes every connection. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            writer.close();
            jobCommits.close();
            notifications.close();
            pool.close();
        }
    }

    /** Listening again after a break: what other nodes committed meanwhile was never notified here. */
    private void catchUpAfterBreak() {
        try {
            tellers.catchUpAll(lastOffsets());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "catching up after listening again failed; live subscribers get those messages at their topic's"
                    + " next append", e);
        }
    }

    private Map<String, Long> lastOffsets() {
        return pool.with("reading every topic's last offset", c -> {
            Map<String, Long> last = new HashMap<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT name, last_offset FROM topics")) {
                while (rs.next()) {
                    last.put(rs.getString(1), rs.getLong(2));
                }
            }
            return last;
        });
    }

    /** The pool, for tests that must hold its connections. */
    Pool pool() {
        return pool;
    }

    @Override
    public String toString() {
        return "PostgresLogStore[" + target.describe() + ", epoch " + epoch + "]";
    }

    /** One statement, so first and last come from one snapshot even while writers commit. */
    private List<TopicHead> heads(String what, String clause, String topic) {
        return pool.with(what, c -> LogReads.heads(c, clause, topic));
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage();
    }
}
