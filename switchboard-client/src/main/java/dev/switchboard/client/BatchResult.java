package dev.switchboard.client;

import java.time.Instant;

/** Where a batch landed: offsets {@code first..last}, {@code count} messages, one commit. */
public record BatchResult(String topic, long first, long last, int count, Instant time) {}
