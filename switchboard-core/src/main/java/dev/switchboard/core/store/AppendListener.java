package dev.switchboard.core.store;

import dev.switchboard.core.message.Message;
import java.util.List;

/**
 * Told of every committed append, per topic in offset order, before the appender's future completes.
 * Runs on the store's writer thread: it must be quick and must not block.
 */
@FunctionalInterface
public interface AppendListener {
    AppendListener NONE = (topic, messages) -> {};

    void appended(String topic, List<Message> messages);
}
