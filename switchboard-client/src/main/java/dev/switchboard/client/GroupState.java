package dev.switchboard.client;

import java.time.Duration;
import java.time.Instant;

/**
 * A consumer group's position in its topic: every offset up to {@code committed} is acknowledged,
 * {@code delivered} is the highest offset ever leased, {@code inFlight} are leased and unacknowledged,
 * {@code pending} are due for (re)delivery, {@code lag} is {@code last - committed}. The oldest unacknowledged
 * message's time and age (server clock) are null when nothing is unacknowledged.
 */
public record GroupState(String topic, String group, long committed, long delivered, long pending, long inFlight,
        long lag, long last, Instant oldestUnackedTime, Duration oldestUnackedAge) {}
