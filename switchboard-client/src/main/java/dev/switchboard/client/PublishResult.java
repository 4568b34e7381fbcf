package dev.switchboard.client;

import java.time.Instant;

/** Where a published message landed: its topic, offset and server time. */
public record PublishResult(String topic, long offset, Instant time) {}
