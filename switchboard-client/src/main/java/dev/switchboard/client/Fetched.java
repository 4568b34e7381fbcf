package dev.switchboard.client;

import java.time.Duration;
import java.util.List;

/**
 * One consumer-group fetch: the messages leased to this caller (empty when the wait ended first) under the
 * {@code lease} token, which {@link SwitchboardClient#ack} and {@link SwitchboardClient#nack} must name. A message
 * neither acknowledged nor nacked within {@code leaseDuration} is delivered again, to whoever fetches next.
 */
public record Fetched(String topic, String group, String lease, Duration leaseDuration, List<GroupMessage> messages) {
    public Fetched {
        messages = List.copyOf(messages);
    }

    /** The offsets of {@link #messages()}, in order: what to acknowledge once all of them are handled. */
    public List<Long> offsets() {
        return messages.stream().map(GroupMessage::offset).toList();
    }
}
