package dev.switchboard.core.groups;

import dev.switchboard.core.store.Leased.Delivery;
import java.util.List;

/** What one group fetch returns: messages leased under {@code lease} (empty when the wait ended first). */
public record Fetched(String topic, String group, String lease, long leaseMillis, List<Delivery> deliveries) {}
