package dev.switchboard.core.config;

import java.time.Duration;

/**
 * Consumer-group defaults and caps; see {@link Setting} for each default.
 *
 * @param lease       lease of a fetch that names none
 * @param maxLease    longest lease a fetch may ask for
 * @param maxAttempts deliveries of one message before it goes to the dead-letter topic
 * @param maxInFlight largest prefetch window a WebSocket consumer may ask for
 */
public record GroupSettings(Duration lease, Duration maxLease, int maxAttempts, int maxInFlight) {}
