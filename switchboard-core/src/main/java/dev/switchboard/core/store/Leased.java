package dev.switchboard.core.store;

import dev.switchboard.core.message.Message;
import java.util.List;

/**
 * What one {@link GroupStore#lease} handed out under the token {@code lease}: {@code deliveries} in
 * offset order, and {@code exhausted} messages (past their attempts) for the caller to dead-letter
 * and ack. {@code nextDueMillis} is the earliest time a pending message of the group becomes due
 * again ({@link Long#MAX_VALUE} when none is pending), so a waiting fetch knows when to look again.
 */
public record Leased(String lease, List<Delivery> deliveries, List<Delivery> exhausted, long nextDueMillis) {

    /** One leased message and its delivery count (1 on the first delivery); {@code lastError} from the last nack, or null. */
    public record Delivery(Message message, int attempt, String lastError) {
        public long offset() {
            return message.offset();
        }
    }

    public boolean isEmpty() {
        return deliveries.isEmpty() && exhausted.isEmpty();
    }
}
