package dev.switchboard.store.postgres;

import dev.switchboard.core.message.Message;
import dev.switchboard.core.message.MessageDraft;
import dev.switchboard.core.store.AppendRequest;
import dev.switchboard.core.store.Appended;
import dev.switchboard.core.store.Durability;
import dev.switchboard.core.store.HeaderCodec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * One group commit: a batch of appends in one transaction.
 *
 * <p>Offsets come from each topic's counter row in {@code topics}, locked first thing in the
 * transaction and written back last. A writer on another node appending to the same topic waits for
 * that lock until this transaction commits, and only then reads the counter: so a topic's offsets are
 * committed, and become visible, strictly in offset order, and a reader that saw offset N has already
 * seen every offset below it. (A sequence would hand out N+1 to a transaction that may commit before
 * the one holding N: the trap in docs/postgres.md.) Rows are locked in topic-name order so two nodes
 * with batches over the same topics cannot deadlock.
 */
final class Batch {
    private record Counter(long id, long last) {}

    private final Connection c;
    private final List<AppendRequest> requests;
    private final long now;
    private final Duration keyTtl;

    Batch(Connection c, List<AppendRequest> requests, long now, Duration keyTtl) {
        this.c = c;
        this.requests = requests;
        this.now = now;
        this.keyTtl = keyTtl;
    }

    /** Commits the batch and answers each request in order; rolls everything back on failure. */
    List<Appended> commit() throws SQLException {
        c.setAutoCommit(false);
        try {
            if (requests.stream().allMatch(r -> r.durability() == Durability.ASYNC)) {
                try (Statement s = c.createStatement()) {
                    // Answer before the WAL reaches disk; a crash may lose the last few hundred ms, never corrupt.
                    s.execute("SET LOCAL synchronous_commit = off");
                }
            }
            List<Appended> results = apply(lockCounters());
            c.commit();
            return results;
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    /**
     * Creates missing counters and locks all of this batch's, in name order, in one statement: a batch of
     * job events touches as many topics as it has events, and a round trip per topic would cost more
     * than the batch's inserts.
     */
    private Map<String, Counter> lockCounters() throws SQLException {
        TreeSet<String> names = new TreeSet<>();
        requests.forEach(r -> names.add(r.topic()));
        Map<String, Counter> counters = new HashMap<>();
        try (PreparedStatement lock = c.prepareStatement("""
                INSERT INTO topics (name, last_offset)
                SELECT name, 0 FROM unnest(?::text[]) WITH ORDINALITY AS t(name, i) ORDER BY i
                ON CONFLICT (name) DO UPDATE SET last_offset = topics.last_offset RETURNING name, id, last_offset""")) {
            lock.setArray(1, c.createArrayOf("text", names.toArray()));
            try (ResultSet rs = lock.executeQuery()) {
                while (rs.next()) {
                    counters.put(rs.getString(1), new Counter(rs.getLong(2), rs.getLong(3)));
                }
            }
        }
        return counters;
    }

    private List<Appended> apply(Map<String, Counter> counters) throws SQLException {
        Map<String, Appended> keyedInBatch = new HashMap<>();
        Map<String, Long> lastByTopic = new HashMap<>();
        List<Appended> results = new ArrayList<>(requests.size());
        try (PreparedStatement findKey = c.prepareStatement("SELECT first_offset, last_offset, time_ms FROM idempotency_keys"
                     + " WHERE topic_id = ? AND idempotency_key = ? AND time_ms >= ?");
             PreparedStatement insert = c.prepareStatement("INSERT INTO messages"
                     + " (topic_id, seq, time_ms, content_type, payload, headers) VALUES (?, ?, ?, ?, ?, ?)");
             PreparedStatement remember = c.prepareStatement("""
                     INSERT INTO idempotency_keys (topic_id, idempotency_key, first_offset, last_offset, time_ms)
                     VALUES (?, ?, ?, ?, ?) ON CONFLICT (topic_id, idempotency_key) DO UPDATE SET
                     first_offset = EXCLUDED.first_offset, last_offset = EXCLUDED.last_offset, time_ms = EXCLUDED.time_ms""");
             PreparedStatement advance = c.prepareStatement("UPDATE topics SET last_offset = ? WHERE id = ?")) {
            for (AppendRequest r : requests) {
                Counter counter = counters.get(r.topic());
                long last = lastByTopic.getOrDefault(r.topic(), counter.last());
                String key = r.idempotencyKey();
                Appended seen = key == null ? null : keyedInBatch.computeIfAbsent(r.topic() + '\n' + key,
                        k -> stored(findKey, counter.id(), r.topic(), key));
                if (seen != null) {
                    results.add(new Appended(r.topic(), seen.first(), seen.last(), seen.timeMillis(), true, List.of()));
                    continue;
                }
                List<Message> added = new ArrayList<>(r.drafts().size());
                for (MessageDraft d : r.drafts()) {
                    Message m = new Message(r.topic(), ++last, now, d.contentType(), d.payload(), d.headers());
                    insert.setLong(1, counter.id());
                    insert.setLong(2, m.offset());
                    insert.setLong(3, now);
                    insert.setString(4, m.contentType());
                    insert.setBytes(5, m.payload());
                    insert.setBytes(6, HeaderCodec.encode(m.headers()));
                    insert.addBatch();
                    added.add(m);
                }
                Appended result = new Appended(r.topic(), added.getFirst().offset(), last, now, false, added);
                lastByTopic.put(r.topic(), last);
                results.add(result);
                if (key != null) {
                    keyedInBatch.put(r.topic() + '\n' + key, result);
                    remember.setLong(1, counter.id());
                    remember.setString(2, key);
                    remember.setLong(3, result.first());
                    remember.setLong(4, result.last());
                    remember.setLong(5, now);
                    remember.addBatch();
                }
            }
            for (Map.Entry<String, Long> e : lastByTopic.entrySet()) {
                advance.setLong(1, e.getValue());
                advance.setLong(2, counters.get(e.getKey()).id());
                advance.addBatch();
            }
            insert.executeBatch();
            remember.executeBatch();
            advance.executeBatch();
        }
        notifyOtherNodes(counters, lastByTopic);
        return results;
    }

    /** Queues one NOTIFY per topic appended to, in one statement; PostgreSQL sends them only if and when this transaction commits. */
    private void notifyOtherNodes(Map<String, Counter> counters, Map<String, Long> lastByTopic) throws SQLException {
        if (lastByTopic.isEmpty()) {
            return;
        }
        Object[] payloads = lastByTopic.entrySet().stream()
                .map(e -> Notifications.payload(e.getKey(), counters.get(e.getKey()).last() + 1, e.getValue())).toArray();
        try (PreparedStatement notify = c.prepareStatement(
                "SELECT count(pg_notify(current_schema(), p)) FROM unnest(?::text[]) WITH ORDINALITY AS t(p, i)")) {
            notify.setArray(1, c.createArrayOf("text", payloads));
            notify.executeQuery().close();
        }
    }

    /** The first result of {@code key} if it is younger than the TTL; null otherwise. */
    private Appended stored(PreparedStatement findKey, long topicId, String topic, String key) {
        try {
            findKey.setLong(1, topicId);
            findKey.setString(2, key);
            findKey.setLong(3, now - keyTtl.toMillis());
            try (ResultSet rs = findKey.executeQuery()) {
                return rs.next() ? new Appended(topic, rs.getLong(1), rs.getLong(2), rs.getLong(3), false, List.of()) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("looking up idempotency key of '" + topic + "': " + e.getMessage(), e);
        }
    }
}
