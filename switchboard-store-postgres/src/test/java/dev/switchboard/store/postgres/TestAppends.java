package dev.switchboard.store.postgres;

import dev.switchboard.core.message.MessageDraft;
import dev.switchboard.core.store.AppendRequest;
import dev.switchboard.core.store.Durability;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Append requests for tests. */
final class TestAppends {
    private TestAppends() {}

    static AppendRequest request(String topic, int count, Durability durability) {
        List<MessageDraft> drafts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            drafts.add(MessageDraft.of("text/plain", ("m" + i).getBytes(StandardCharsets.UTF_8)));
        }
        return new AppendRequest(topic, drafts, durability, null);
    }
}
