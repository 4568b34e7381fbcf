package dev.switchboard.core.hub;

import dev.switchboard.core.message.Message;
import java.util.List;

/**
 * The answer to a read or poll: messages after the requested offset, and {@code next}, the offset to
 * ask after next time. {@code skippedBefore > 0} means retention removed offsets between the requested
 * position and {@code skippedBefore}: the client has a gap and is told so.
 */
public record ReadResult(String topic, List<Message> messages, long next, long skippedBefore, String epoch) {
    public boolean hasGap() {
        return skippedBefore > 0;
    }
}
