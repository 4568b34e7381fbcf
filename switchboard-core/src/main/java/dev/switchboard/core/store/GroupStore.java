package dev.switchboard.core.store;

import java.util.List;

/**
 * Consumer groups over the log: per (topic, group), a committed cursor plus leases on the messages
 * handed out and not yet acknowledged. Every store passes {@code GroupStoreContract}.
 *
 * <p>Each call is one atomic step of the store (one transaction), so several nodes sharing a store
 * never lease one message to two consumers at once. A refused call changes nothing. Every method
 * blocks on I/O and must not be called from an event loop.
 *
 * <p>Model: the group's {@code delivered} mark is the highest offset ever leased; offsets above
 * {@code committed} and up to {@code delivered} that are not acknowledged are <em>pending</em>, each
 * with an attempt count, a lease (token and deadline) and the time it may be delivered again.
 * {@code committed} is one below the lowest pending offset (or {@code delivered} when none is pending).
 */
public interface GroupStore {

    /**
     * Leases up to {@code max} messages under one new lease token: first pending ones that are due
     * again (lease expired or nack delay over), lowest offset first, then messages never delivered to
     * the group. Creates the group, starting from the oldest retained message, when it does not exist.
     * Due messages that already had {@code maxAttempts} attempts come back in {@link Leased#exhausted}
     * instead, leased under the same token so the caller can dead-letter and then ack them.
     */
    Leased lease(LeaseRequest request);

    /**
     * Acknowledges {@code offsets} held under {@code lease}: they are never delivered to the group again.
     *
     * @throws dev.switchboard.core.error.SwitchboardException {@code LEASE_NOT_HELD} (nothing changed)
     *         when any offset is not pending under this token: acknowledged already, never delivered,
     *         or leased again to another consumer after this lease expired; {@code NOT_FOUND} for an
     *         unknown group
     */
    GroupState ack(String topic, String group, String lease, List<Long> offsets, long nowMillis);

    /**
     * Gives {@code offsets} held under {@code lease} back: they are due again at {@code redeliverAtMillis}.
     * {@code reason} is kept as the last error (it goes into the dead-letter headers). Same refusals as
     * {@link #ack}.
     */
    GroupState nack(String topic, String group, String lease, List<Long> offsets, long redeliverAtMillis, String reason,
            long nowMillis);

    /**
     * Hands {@code offsets} held under {@code lease} back as if they had not been delivered: due at once,
     * their attempt count one lower. For messages the application never saw (a fetch whose client left
     * before the answer, a consumer told to stop), so that coming and going does not push messages
     * towards the dead-letter topic. Same refusals as {@link #ack}.
     */
    GroupState release(String topic, String group, String lease, List<Long> offsets, long nowMillis);

    /** The group's state, or null when the group does not exist. */
    GroupState state(String topic, String group, long nowMillis);

    /** Every group of {@code topic}, by name. */
    List<GroupState> groups(String topic, long nowMillis);

    /**
     * Moves the group so that the next message delivered is the first retained one after
     * {@code committed}, and drops every pending message and lease (a lease token held before is then
     * refused). Creates the group when it does not exist.
     */
    GroupState reset(String topic, String group, long committed, long nowMillis);

    /** The offset of the first retained message stored at or after {@code timeMillis} (last + 1 when none), for resets by time. */
    long offsetAt(String topic, long timeMillis);
}
