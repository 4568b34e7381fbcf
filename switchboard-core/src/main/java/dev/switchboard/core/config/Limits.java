package dev.switchboard.core.config;

import java.time.Duration;

/** The limits every connection is held to; see {@link Setting} for each default. */
public record Limits(
        int maxBodyBytes,
        int maxHeaderBytes,
        int maxFrameBytes,
        int maxConnections,
        int maxConcurrentStreams,
        int maxSubscriptionsPerConnection,
        int maxReadMessages,
        Duration maxWait,
        long sessionBudgetBytes) {}
