package dev.switchboard.client;

import java.time.Duration;
import java.time.Instant;

/**
 * A consumer group's position in its topic: every offset up to {@code committed} is acknowledged,
 * {@code delivered} is the highest offset ever leased, {@code pending} are the offsets above {@code committed}
 * delivered and not acknowledged, {@code inFlight} those of them under a lease that has not run out, {@code lag}
 * is {@code last - committed}. The time and age (by the server's clock) of the oldest message not yet acknowledged,
 * delivered or not, are null when the group has acknowledged everything.
 */
public record GroupState(String topic, String group, long committed, long delivered, long pending, long inFlight,
        long lag, long last, Instant oldestUnackedTime, Duration oldestUnackedAge) {}
