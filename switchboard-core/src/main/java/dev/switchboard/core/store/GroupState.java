package dev.switchboard.core.store;

/**
 * A consumer group as the store sees it at one moment.
 *
 * @param committed        every offset up to here is acknowledged (or was skipped by a reset)
 * @param delivered        the highest offset ever leased to the group
 * @param pending          offsets above {@code committed} delivered and not acknowledged
 * @param inFlight         pending offsets under an unexpired lease
 * @param last             the topic's last offset
 * @param oldestUnackedMillis time of the oldest message not yet acknowledged (delivered or not), 0 when none
 */
public record GroupState(String topic, String group, long committed, long delivered, long pending, long inFlight, long last,
        long oldestUnackedMillis) {

    /** Messages the group has not acknowledged yet, delivered or not. */
    public long lag() {
        return Math.max(0, last - committed);
    }
}
