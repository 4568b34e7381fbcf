package dev.switchboard.client;

/** One topic of {@code GET /v1/topics}: its retained range {@code first..last} and message count. */
public record TopicSummary(String topic, long first, long last, long count) {}
