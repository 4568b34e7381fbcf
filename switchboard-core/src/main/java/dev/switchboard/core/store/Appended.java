package dev.switchboard.core.store;

import dev.switchboard.core.message.Message;
import java.util.List;

/**
 * What an append produced: offsets {@code first..last} at {@code timeMillis}. A {@code duplicate}
 * repeats the result of the first request with the same idempotency key and carries no messages.
 */
public record Appended(String topic, long first, long last, long timeMillis, boolean duplicate, List<Message> messages) {
    public int count() {
        return (int) (last - first + 1);
    }
}
