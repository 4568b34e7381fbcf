package dev.switchboard.store.postgres;

import dev.switchboard.core.store.GroupState;
import dev.switchboard.core.store.GroupStore;
import dev.switchboard.core.store.LeaseRequest;
import dev.switchboard.core.store.Leased;
import dev.switchboard.store.jdbc.GroupReads;
import java.util.List;

/**
 * Consumer groups in the shared database. Every write is one transaction on a connection from the
 * {@link Pool}, run on the caller's (virtual) thread, committed with {@code synchronous_commit} on.
 *
 * <p>Nodes never lease one message twice because each lease, ack, nack and reset first locks the
 * group's row ({@code SELECT ... FOR UPDATE}) and holds it to commit: calls on one group take turns
 * across all nodes, while different groups never wait for each other. {@code FOR UPDATE SKIP LOCKED}
 * on pending rows would let two leases of one group overlap in time, but every lease also moves the
 * group's {@code delivered} mark and every ack its {@code committed} cursor, both on the group row,
 * so they would queue on that row anyway; one lock taken first is simpler and cannot deadlock.
 */
final class PostgresGroupStore implements GroupStore {
    private final Pool pool;

    PostgresGroupStore(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Leased lease(LeaseRequest r) {
        return pool.inTransaction(what("lease", r.topic(), r.group()), c -> GroupWrites.lease(c, r));
    }

    @Override
    public GroupState ack(String topic, String group, String lease, List<Long> offsets, long nowMillis) {
        return pool.inTransaction(what("ack", topic, group), c -> GroupWrites.ack(c, topic, group, lease, offsets, nowMillis));
    }

    @Override
    public GroupState nack(String topic, String group, String lease, List<Long> offsets, long redeliverAtMillis, String reason,
            long nowMillis) {
        return pool.inTransaction(what("nack", topic, group),
                c -> GroupWrites.nack(c, topic, group, lease, offsets, redeliverAtMillis, reason, nowMillis));
    }

    @Override
    public GroupState release(String topic, String group, String lease, List<Long> offsets, long nowMillis) {
        return pool.inTransaction(what("release", topic, group), c -> GroupWrites.release(c, topic, group, lease, offsets, nowMillis));
    }

    @Override
    public GroupState state(String topic, String group, long nowMillis) {
        return pool.with(what("state", topic, group), c -> GroupReads.state(c, topic, group, nowMillis));
    }

    @Override
    public List<GroupState> groups(String topic, long nowMillis) {
        return pool.with("listing the groups of '" + topic + "'", c -> GroupReads.states(c, topic, null, nowMillis));
    }

    @Override
    public GroupState reset(String topic, String group, long committed, long nowMillis) {
        return pool.inTransaction(what("reset", topic, group), c -> GroupWrites.reset(c, topic, group, committed, nowMillis));
    }

    @Override
    public long offsetAt(String topic, long timeMillis) {
        return pool.with("finding the offset of '" + topic + "' at " + timeMillis, c -> GroupReads.offsetAt(c, topic, timeMillis));
    }

    private static String what(String operation, String topic, String group) {
        return operation + " in group '" + group + "' of '" + topic + "'";
    }
}
