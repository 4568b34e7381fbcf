package dev.switchboard.store.sqlite;

import dev.switchboard.core.store.GroupState;
import dev.switchboard.core.store.GroupStore;
import dev.switchboard.core.store.LeaseRequest;
import dev.switchboard.core.store.Leased;
import dev.switchboard.store.jdbc.GroupReads;
import java.util.List;

/**
 * Consumer groups in the SQLite file. Writes run on the {@link GroupCommitWriter}'s thread, so they
 * never race an append, a trim or each other, and many acks share one commit and one fsync; the
 * caller blocks until its write is durable. Reads borrow one of the {@link Readers}.
 */
final class SqliteGroupStore implements GroupStore {
    private final GroupCommitWriter writer;
    private final GroupWrites writes;
    private final Readers readers;

    SqliteGroupStore(GroupCommitWriter writer, GroupWrites writes, Readers readers) {
        this.writer = writer;
        this.writes = writes;
        this.readers = readers;
    }

    @Override
    public Leased lease(LeaseRequest r) {
        return writer.run(what("lease", r.topic(), r.group()), () -> writes.lease(r));
    }

    @Override
    public GroupState ack(String topic, String group, String lease, List<Long> offsets, long nowMillis) {
        return writer.run(what("ack", topic, group), () -> writes.ack(topic, group, lease, offsets, nowMillis));
    }

    @Override
    public GroupState nack(String topic, String group, String lease, List<Long> offsets, long redeliverAtMillis, String reason,
            long nowMillis) {
        return writer.run(what("nack", topic, group),
                () -> writes.nack(topic, group, lease, offsets, redeliverAtMillis, reason, nowMillis));
    }

    @Override
    public GroupState release(String topic, String group, String lease, List<Long> offsets, long nowMillis) {
        return writer.run(what("release", topic, group), () -> writes.release(topic, group, lease, offsets, nowMillis));
    }

    @Override
    public GroupState state(String topic, String group, long nowMillis) {
        return readers.with(what("state", topic, group), c -> GroupReads.state(c, topic, group, nowMillis));
    }

    @Override
    public List<GroupState> groups(String topic, long nowMillis) {
        return readers.with("listing the groups of '" + topic + "'", c -> GroupReads.states(c, topic, null, nowMillis));
    }

    @Override
    public GroupState reset(String topic, String group, long committed, long nowMillis) {
        return writer.run(what("reset", topic, group), () -> writes.reset(topic, group, committed, nowMillis));
    }

    @Override
    public long offsetAt(String topic, long timeMillis) {
        return readers.with("finding the offset of '" + topic + "' at " + timeMillis, c -> GroupReads.offsetAt(c, topic, timeMillis));
    }

    private static String what(String operation, String topic, String group) {
        return operation + " in group '" + group + "' of '" + topic + "'";
    }
}
