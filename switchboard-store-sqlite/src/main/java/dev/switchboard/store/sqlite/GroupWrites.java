package dev.switchboard.store.sqlite;

import dev.switchboard.core.message.Message;
import dev.switchboard.core.store.GroupState;
import dev.switchboard.core.store.LeaseRefusals;
import dev.switchboard.core.store.LeaseRequest;
import dev.switchboard.core.store.Leased.Delivery;
import dev.switchboard.core.store.Leased;
import dev.switchboard.store.jdbc.GroupReads;
import dev.switchboard.store.jdbc.MessageRows;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Consumer-group writes with their statements prepared on the write connection. Every method runs as
 * {@link GroupCommitWriter.Work} on the writer thread, inside its transaction; a refusal is thrown
 * before anything is written. Mirrors the memory store's {@code MemoryGroupStore}.
 */
final class GroupWrites {
    private record Group(long id, long committed, long delivered) {}

    private final Connection db;
    private final PreparedStatement selectGroup;
    private final PreparedStatement insertGroup;
    private final PreparedStatement updateGroup;
    private final PreparedStatement selectTopicId;
    private final PreparedStatement selectDue;
    private final PreparedStatement selectFresh;
    private final PreparedStatement selectHeld;
    private final PreparedStatement insertPending;
    private final PreparedStatement releasePending;
    private final PreparedStatement unsendPending;
    private final PreparedStatement relet;
    private final PreparedStatement deletePending;
    private final PreparedStatement deleteAllPending;
    private final PreparedStatement lowestPending;
    private final PreparedStatement nextDue;

    GroupWrites(Connection db) throws SQLException {
        this.db = db;
        selectGroup = db.prepareStatement("SELECT id, committed, delivered FROM consumer_groups WHERE topic = ? AND name = ?");
        insertGroup = db.prepareStatement(
                "INSERT INTO consumer_groups (topic, name, committed, delivered) VALUES (?, ?, 0, 0) RETURNING id");
        updateGroup = db.prepareStatement("UPDATE consumer_groups SET committed = ?, delivered = ? WHERE id = ?");
        selectTopicId = db.prepareStatement("SELECT id FROM topics WHERE name = ?");
        // m.seq is null when retention removed the message
        selectDue = db.prepareStatement("SELECT p.seq, p.attempts, p.last_error, " + MessageRows.COLUMNS
                + " FROM group_pending p LEFT JOIN messages m ON m.topic_id = ? AND m.seq = p.seq"
                + " WHERE p.group_id = ? AND p.lease_until <= ? AND p.available_at <= ? ORDER BY p.seq");
        selectFresh = db.prepareStatement(
                "SELECT " + MessageRows.COLUMNS + " FROM messages m WHERE m.topic_id = ? AND m.seq > ? ORDER BY m.seq LIMIT ?");
        // One range scan of the group's key instead of a lookup per offset
        selectHeld = db.prepareStatement("SELECT seq FROM group_pending WHERE group_id = ? AND seq BETWEEN ? AND ? AND lease = ?");
        insertPending = db.prepareStatement("INSERT INTO group_pending (group_id, seq, attempts, lease, lease_until, available_at,"
                + " last_error) VALUES (?, ?, 1, ?, ?, 0, NULL)");
        releasePending = db.prepareStatement("UPDATE group_pending SET lease = NULL, lease_until = 0, available_at = ?,"
                + " last_error = ? WHERE group_id = ? AND seq = ?");
        unsendPending = db.prepareStatement("UPDATE group_pending SET lease = NULL, lease_until = 0, available_at = ?,"
                + " attempts = attempts - 1 WHERE group_id = ? AND seq = ?");
        relet = db.prepareStatement("UPDATE group_pending SET lease = ?, lease_until = ?, attempts = ? WHERE group_id = ? AND seq = ?");
        deletePending = db.prepareStatement("DELETE FROM group_pending WHERE group_id = ? AND seq = ?");
        deleteAllPending = db.prepareStatement("DELETE FROM group_pending WHERE group_id = ?");
        lowestPending = db.prepareStatement("SELECT min(seq) FROM group_pending WHERE group_id = ?");
        nextDue = db.prepareStatement("SELECT min(max(lease_until, available_at)) FROM group_pending WHERE group_id = ?");
    }

    Leased lease(LeaseRequest r) throws SQLException {
        Group g = group(r.topic(), r.group(), true);
        String token = UUID.randomUUID().toString();
        long until = r.nowMillis() + r.leaseMillis();
        long topicId = topicId(r.topic());
        List<Delivery> deliveries = new ArrayList<>();
        List<Delivery> exhausted = new ArrayList<>();
        List<Long> gone = new ArrayList<>();
        selectDue.setLong(1, topicId);
        selectDue.setLong(2, g.id());
        selectDue.setLong(3, r.nowMillis());
        selectDue.setLong(4, r.nowMillis());
        // Read first, write after: SQLite leaves undefined what a scan sees of rows changed under it, and
        // a failure while reading leaves no half-filled batch behind.
        try (ResultSet rs = selectDue.executeQuery()) {
            while (deliveries.size() < r.max() && rs.next()) {
                long offset = rs.getLong(1);
                int attempts = rs.getInt(2);
                String lastError = rs.getString(3);
                rs.getLong(4);
                if (rs.wasNull()) {
                    gone.add(offset); // removed by retention before it was acknowledged: nothing to deliver
                    continue;
                }
                Message m = MessageRows.message(r.topic(), rs, 4);
                boolean spent = attempts >= r.maxAttempts();
                (spent ? exhausted : deliveries).add(new Delivery(m, spent ? attempts : attempts + 1, lastError));
            }
        }
        List<Delivery> again = List.copyOf(deliveries);
        List<Message> fresh = new ArrayList<>();
        if (deliveries.size() < r.max()) {
            selectFresh.setLong(1, topicId);
            selectFresh.setLong(2, g.delivered());
            selectFresh.setInt(3, r.max() - deliveries.size());
            try (ResultSet rs = selectFresh.executeQuery()) {
                while (rs.next()) {
                    fresh.add(MessageRows.message(r.topic(), rs, 1));
                }
            }
        }
        long delivered = fresh.isEmpty() ? g.delivered() : fresh.getLast().offset();
        write(g, gone, again, exhausted, fresh, token, until);
        fresh.forEach(m -> deliveries.add(new Delivery(m, 1, null)));
        deliveries.sort(Comparator.comparingLong(Delivery::offset));
        update(g, delivered);
        return new Leased(token, List.copyOf(deliveries), List.copyOf(exhausted), nextDue(g));
    }

    GroupState ack(String topic, String group, String lease, List<Long> offsets, long nowMillis) throws SQLException {
        Group g = held(topic, group, lease, offsets, "ack");
        for (long offset : offsets) {
            deletePending.setLong(1, g.id());
            deletePending.setLong(2, offset);
            deletePending.addBatch();
        }
        deletePending.executeBatch();
        update(g, g.delivered());
        return GroupReads.state(db, topic, group, nowMillis);
    }

    GroupState nack(String topic, String group, String lease, List<Long> offsets, long redeliverAtMillis, String reason,
            long nowMillis) throws SQLException {
        Group g = held(topic, group, lease, offsets, "nack");
        for (long offset : offsets) {
            releasePending.setLong(1, redeliverAtMillis);
            releasePending.setString(2, reason);
            releasePending.setLong(3, g.id());
            releasePending.setLong(4, offset);
            releasePending.addBatch();
        }
        releasePending.executeBatch();
        return GroupReads.state(db, topic, group, nowMillis);
    }

    GroupState release(String topic, String group, String lease, List<Long> offsets, long nowMillis) throws SQLException {
        Group g = held(topic, group, lease, offsets, "release");
        for (long offset : offsets) {
            unsendPending.setLong(1, nowMillis);
            unsendPending.setLong(2, g.id());
            unsendPending.setLong(3, offset);
            unsendPending.addBatch();
        }
        unsendPending.executeBatch();
        return GroupReads.state(db, topic, group, nowMillis);
    }

    GroupState reset(String topic, String group, long committed, long nowMillis) throws SQLException {
        Group g = group(topic, group, true);
        deleteAllPending.setLong(1, g.id());
        deleteAllPending.executeUpdate();
        updateGroup.setLong(1, committed);
        updateGroup.setLong(2, committed);
        updateGroup.setLong(3, g.id());
        updateGroup.executeUpdate();
        return GroupReads.state(db, topic, group, nowMillis);
    }

    /** The group when every offset is pending under {@code lease}; refuses otherwise, having written nothing. */
    private Group held(String topic, String group, String lease, List<Long> offsets, String what) throws SQLException {
        Group g = group(topic, group, false);
        if (g == null) {
            throw LeaseRefusals.noGroup(what, topic, group);
        }
        if (offsets.isEmpty()) {
            return g;
        }
        Set<Long> held = new HashSet<>();
        selectHeld.setLong(1, g.id());
        selectHeld.setLong(2, offsets.stream().mapToLong(Long::longValue).min().orElseThrow());
        selectHeld.setLong(3, offsets.stream().mapToLong(Long::longValue).max().orElseThrow());
        selectHeld.setString(4, lease);
        try (ResultSet rs = selectHeld.executeQuery()) {
            while (rs.next()) {
                held.add(rs.getLong(1));
            }
        }
        List<Long> notHeld = offsets.stream().filter(o -> !held.contains(o)).toList();
        if (!notHeld.isEmpty()) {
            throw LeaseRefusals.notHeld(what, topic, group, notHeld);
        }
        return g;
    }

    private Group group(String topic, String name, boolean create) throws SQLException {
        selectGroup.setString(1, topic);
        selectGroup.setString(2, name);
        try (ResultSet rs = selectGroup.executeQuery()) {
            if (rs.next()) {
                return new Group(rs.getLong(1), rs.getLong(2), rs.getLong(3));
            }
        }
        if (!create) {
            return null;
        }
        insertGroup.setString(1, topic);
        insertGroup.setString(2, name);
        try (ResultSet rs = insertGroup.executeQuery()) {
            rs.next();
            return new Group(rs.getLong(1), 0, 0);
        }
    }

    /** The topic's row id, or -1 (matching no message) when it never had a message. */
    private long topicId(String topic) throws SQLException {
        selectTopicId.setString(1, topic);
        try (ResultSet rs = selectTopicId.executeQuery()) {
            return rs.next() ? rs.getLong(1) : -1;
        }
    }

    /** A lease's writes, as three batches: drop the gone, lease the due again, add the fresh. */
    private void write(Group g, List<Long> gone, List<Delivery> again, List<Delivery> exhausted, List<Message> fresh, String token,
            long until) throws SQLException {
        for (long offset : gone) {
            deletePending.setLong(1, g.id());
            deletePending.setLong(2, offset);
            deletePending.addBatch();
        }
        deletePending.executeBatch();
        for (List<Delivery> list : List.of(again, exhausted)) {
            for (Delivery d : list) {
                relet.setString(1, token);
                relet.setLong(2, until);
                relet.setInt(3, d.attempt());
                relet.setLong(4, g.id());
                relet.setLong(5, d.offset());
                relet.addBatch();
            }
        }
        relet.executeBatch();
        for (Message m : fresh) {
            insertPending.setLong(1, g.id());
            insertPending.setLong(2, m.offset());
            insertPending.setString(3, token);
            insertPending.setLong(4, until);
            insertPending.addBatch();
        }
        insertPending.executeBatch();
    }

    /** Stores {@code delivered} and the committed mark that follows: one below the lowest pending offset. */
    private void update(Group g, long delivered) throws SQLException {
        lowestPending.setLong(1, g.id());
        long committed;
        try (ResultSet rs = lowestPending.executeQuery()) {
            rs.next();
            long lowest = rs.getLong(1);
            committed = rs.wasNull() ? delivered : lowest - 1;
        }
        updateGroup.setLong(1, committed);
        updateGroup.setLong(2, delivered);
        updateGroup.setLong(3, g.id());
        updateGroup.executeUpdate();
    }

    private long nextDue(Group g) throws SQLException {
        nextDue.setLong(1, g.id());
        try (ResultSet rs = nextDue.executeQuery()) {
            rs.next();
            long next = rs.getLong(1);
            return rs.wasNull() ? Long.MAX_VALUE : next;
        }
    }
}
