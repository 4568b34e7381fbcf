package dev.switchboard.core.hub;

import java.util.Map;

/** What the hub knows of a topic: its retained range and live subscribers by transport. */
public record TopicInfo(String topic, long first, long last, long count, Map<String, Integer> subscribers, String epoch) {}
