package dev.switchboard.client;

import java.util.List;

/**
 * One read: the messages after the requested offset, {@code next} (the {@code after} of the following
 * read), the store {@code epoch} the offsets belong to, and a {@link Gap} when retention skipped some (else null).
 */
public record Page(String topic, List<Message> messages, long next, String epoch, Gap gap) {
    public Page {
        messages = List.copyOf(messages);
    }
}
