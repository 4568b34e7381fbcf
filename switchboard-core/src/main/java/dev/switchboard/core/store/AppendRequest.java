package dev.switchboard.core.store;

import dev.switchboard.core.message.MessageDraft;
import java.util.List;

/**
 * Messages to append to one topic as one unit. With an idempotency key, a second request with the
 * same key on the same topic appends nothing and is answered with the first result.
 */
public record AppendRequest(String topic, List<MessageDraft> drafts, Durability durability, String idempotencyKey) {
    public AppendRequest {
        drafts = List.copyOf(drafts);
        if (drafts.isEmpty()) {
            throw new IllegalArgumentException("an append needs at least one message");
        }
    }
}
