package dev.switchboard.core.store;

/**
 * One fetch for a consumer group: at most {@code max} messages, leased for {@code leaseMillis} from
 * {@code nowMillis}; a message due again after {@code maxAttempts} deliveries is exhausted instead.
 */
public record LeaseRequest(String topic, String group, int max, long leaseMillis, int maxAttempts, long nowMillis) {
    public LeaseRequest {
        if (max < 1 || leaseMillis < 1 || maxAttempts < 1) {
            throw new IllegalArgumentException("max, leaseMillis and maxAttempts must be positive: " + max + ", "
                    + leaseMillis + ", " + maxAttempts);
        }
    }
}
