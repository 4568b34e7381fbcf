package dev.switchboard.store.postgres;

import dev.switchboard.core.message.Message;
import dev.switchboard.core.store.GroupState;
import dev.switchboard.core.store.LeaseRefusals;
import dev.switchboard.core.store.LeaseRequest;
import dev.switchboard.core.store.Leased.Delivery;
import dev.switchboard.core.store.Leased;
import dev.switchboard.store.jdbc.GroupReads;
import dev.switchboard.store.jdbc.MessageRows;
import java.sql.Array;
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
 * Consumer-group writes, each in the caller's transaction and each beginning by locking the group's
 * row, so calls on one group from any node take turns. Offsets travel as arrays: a statement per
 * step, never one per message. Mirrors the memory store's {@code MemoryGroupStore}.
 */
final class GroupWrites {
    private record Group(long id, long committed, long delivered, long topicId) {}

    private GroupWrites() {}

    static Leased lease(Connection c, LeaseRequest r) throws SQLException {
        Group g = lock(c, r.topic(), r.group(), true);
        String token = UUID.randomUUID().toString();
        long until = r.nowMillis() + r.leaseMillis();
        List<Delivery> deliveries = new ArrayList<>();
        List<Delivery> exhausted = new ArrayList<>();
        List<Long> gone = new ArrayList<>();
        // m.seq is null when retention removed the message
        try (PreparedStatement q = c.prepareStatement("SELECT p.seq, p.attempts, p.last_error, " + MessageRows.COLUMNS
                + " FROM group_pending p LEFT JOIN messages m ON m.topic_id = ? AND m.seq = p.seq"
                + " WHERE p.group_id = ? AND p.lease_until <= ? AND p.available_at <= ? ORDER BY p.seq")) {
            q.setFetchSize(r.max()); // a cursor: stop reading once the lease is full
            q.setLong(1, g.topicId());
            q.setLong(2, g.id());
            q.setLong(3, r.nowMillis());
            q.setLong(4, r.nowMillis());
            try (ResultSet rs = q.executeQuery()) {
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
        }
        delete(c, g, gone);
        relet(c, g, deliveries, 1, token, until);
        relet(c, g, exhausted, 0, token, until);
        long delivered = g.delivered();
        if (deliveries.size() < r.max()) {
            List<Message> fresh = fresh(c, r.topic(), g, r.max() - deliveries.size());
            if (!fresh.isEmpty()) {
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO group_pending (group_id, seq, attempts, lease,"
                        + " lease_until, available_at) SELECT ?, unnest(?), 1, ?, ?, 0")) {
                    insert.setLong(1, g.id());
                    insert.setArray(2, offsets(c, fresh.stream().map(Message::offset).toList()));
                    insert.setString(3, token);
                    insert.setLong(4, until);
                    insert.executeUpdate();
                }
                fresh.forEach(m -> deliveries.add(new Delivery(m, 1, null)));
                delivered = fresh.getLast().offset();
            }
        }
        deliveries.sort(Comparator.comparingLong(Delivery::offset));
        update(c, g, delivered);
        return new Leased(token, List.copyOf(deliveries), List.copyOf(exhausted), nextDue(c, g));
    }

    static GroupState ack(Connection c, String topic, String group, String lease, List<Long> offsets, long nowMillis)
            throws SQLException {
        Group g = held(c, topic, group, lease, offsets, "ack");
        delete(c, g, offsets);
        update(c, g, g.delivered());
        return GroupReads.state(c, topic, group, nowMillis);
    }

    static GroupState nack(Connection c, String topic, String group, String lease, List<Long> offsets, long redeliverAtMillis,
            String reason, long nowMillis) throws SQLException {
        Group g = held(c, topic, group, lease, offsets, "nack");
        try (PreparedStatement release = c.prepareStatement("UPDATE group_pending SET lease = NULL, lease_until = 0,"
                + " available_at = ?, last_error = ? WHERE group_id = ? AND seq = ANY (?)")) {
            release.setLong(1, redeliverAtMillis);
            release.setString(2, reason);
            release.setLong(3, g.id());
            release.setArray(4, offsets(c, offsets));
            release.executeUpdate();
        }
        return GroupReads.state(c, topic, group, nowMillis);
    }

    static GroupState release(Connection c, String topic, String group, String lease, List<Long> offsets, long nowMillis)
            throws SQLException {
        Group g = held(c, topic, group, lease, offsets, "release");
        try (PreparedStatement unsend = c.prepareStatement("UPDATE group_pending SET lease = NULL, lease_until = 0,"
                + " available_at = ?, attempts = attempts - 1 WHERE group_id = ? AND seq = ANY (?)")) {
            unsend.setLong(1, nowMillis);
            unsend.setLong(2, g.id());
            unsend.setArray(3, offsets(c, offsets));
            unsend.executeUpdate();
        }
        return GroupReads.state(c, topic, group, nowMillis);
    }

    static GroupState reset(Connection c, String topic, String group, long committed, long nowMillis) throws SQLException {
        Group g = lock(c, topic, group, true);
        try (PreparedStatement drop = c.prepareStatement("DELETE FROM group_pending WHERE group_id = ?");
             PreparedStatement move = c.prepareStatement("UPDATE consumer_groups SET committed = ?, delivered = ? WHERE id = ?")) {
            drop.setLong(1, g.id());
            drop.executeUpdate();
            move.setLong(1, committed);
            move.setLong(2, committed);
            move.setLong(3, g.id());
            move.executeUpdate();
        }
        return GroupReads.state(c, topic, group, nowMillis);
    }

    /** The locked group when every offset is pending under {@code lease}; refuses otherwise, having written nothing. */
    private static Group held(Connection c, String topic, String group, String lease, List<Long> offsets, String what)
            throws SQLException {
        Group g = lock(c, topic, group, false);
        if (g == null) {
            throw LeaseRefusals.noGroup(what, topic, group);
        }
        Set<Long> held = new HashSet<>();
        try (PreparedStatement q = c.prepareStatement("SELECT seq FROM group_pending WHERE group_id = ? AND lease = ? AND seq = ANY (?)")) {
            q.setLong(1, g.id());
            q.setString(2, lease);
            q.setArray(3, offsets(c, offsets));
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    held.add(rs.getLong(1));
                }
            }
        }
        List<Long> notHeld = offsets.stream().filter(o -> !held.contains(o)).toList();
        if (!notHeld.isEmpty()) {
            throw LeaseRefusals.notHeld(what, topic, group, notHeld);
        }
        return g;
    }

    /**
     * The group's row, locked until the transaction ends, created first when {@code create}; null when
     * it does not exist and may not be created.
     */
    private static Group lock(Connection c, String topic, String name, boolean create) throws SQLException {
        Group g = select(c, topic, name);
        if (g != null || !create) {
            return g;
        }
        // A node creating the same group at once makes this wait for its commit, then do nothing.
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO consumer_groups (topic, name, committed, delivered)"
                + " VALUES (?, ?, 0, 0) ON CONFLICT (topic, name) DO NOTHING")) {
            insert.setString(1, topic);
            insert.setString(2, name);
            insert.executeUpdate();
        }
        return select(c, topic, name);
    }

    private static Group select(Connection c, String topic, String name) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT g.id, g.committed, g.delivered, coalesce(t.id, -1)"
                + " FROM consumer_groups g LEFT JOIN topics t ON t.name = g.topic WHERE g.topic = ? AND g.name = ? FOR UPDATE OF g")) {
            q.setString(1, topic);
            q.setString(2, name);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? new Group(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)) : null;
            }
        }
    }

    /** Messages never delivered to the group, oldest retained first. */
    private static List<Message> fresh(Connection c, String topic, Group g, int limit) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(
                "SELECT " + MessageRows.COLUMNS + " FROM messages m WHERE m.topic_id = ? AND m.seq > ? ORDER BY m.seq LIMIT ?")) {
            q.setLong(1, g.topicId());
            q.setLong(2, g.delivered());
            q.setInt(3, limit);
            List<Message> fresh = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    fresh.add(MessageRows.message(topic, rs, 1));
                }
            }
            return fresh;
        }
    }

    private static void delete(Connection c, Group g, List<Long> offsets) throws SQLException {
        if (offsets.isEmpty()) {
            return;
        }
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM group_pending WHERE group_id = ? AND seq = ANY (?)")) {
            delete.setLong(1, g.id());
            delete.setArray(2, offsets(c, offsets));
            delete.executeUpdate();
        }
    }

    /** Leases {@code deliveries} again under {@code token}, counting an attempt when {@code attempt} is 1. */
    private static void relet(Connection c, Group g, List<Delivery> deliveries, int attempt, String token, long until)
            throws SQLException {
        if (deliveries.isEmpty()) {
            return;
        }
        try (PreparedStatement relet = c.prepareStatement("UPDATE group_pending SET lease = ?, lease_until = ?,"
                + " attempts = attempts + ? WHERE group_id = ? AND seq = ANY (?)")) {
            relet.setString(1, token);
            relet.setLong(2, until);
            relet.setInt(3, attempt);
            relet.setLong(4, g.id());
            relet.setArray(5, offsets(c, deliveries.stream().map(Delivery::offset).toList()));
            relet.executeUpdate();
        }
    }

    /** Stores {@code delivered} and the committed mark that follows: one below the lowest pending offset. */
    private static void update(Connection c, Group g, long delivered) throws SQLException {
        try (PreparedStatement update = c.prepareStatement("UPDATE consumer_groups SET delivered = ?,"
                + " committed = coalesce((SELECT min(seq) - 1 FROM group_pending WHERE group_id = ?), ?) WHERE id = ?")) {
            update.setLong(1, delivered);
            update.setLong(2, g.id());
            update.setLong(3, delivered);
            update.setLong(4, g.id());
            update.executeUpdate();
        }
    }

    private static long nextDue(Connection c, Group g) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(
                "SELECT min(greatest(lease_until, available_at)) FROM group_pending WHERE group_id = ?")) {
            q.setLong(1, g.id());
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                long next = rs.getLong(1);
                return rs.wasNull() ? Long.MAX_VALUE : next;
            }
        }
    }

    private static Array offsets(Connection c, List<Long> offsets) throws SQLException {
        return c.createArrayOf("bigint", offsets.toArray());
    }
}
