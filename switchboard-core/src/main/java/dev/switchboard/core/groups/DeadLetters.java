package dev.switchboard.core.groups;

import dev.switchboard.core.message.Message;
import dev.switchboard.core.message.MessageDraft;
import dev.switchboard.core.store.AppendRequest;
import dev.switchboard.core.store.Appended;
import dev.switchboard.core.store.Durability;
import dev.switchboard.core.store.Leased.Delivery;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Moves messages that used up their attempts to {@code {topic}.dlq}: the payload and headers as they
 * were, plus headers saying where the message came from and why it failed. The caller acks the
 * originals only after this append committed, so a crash in between dead-letters twice, never zero times.
 */
final class DeadLetters {
    static final String SUFFIX = ".dlq";
    static final String TOPIC = "sb-dlq-topic";
    static final String GROUP = "sb-dlq-group";
    static final String OFFSET = "sb-dlq-offset";
    static final String ATTEMPTS = "sb-dlq-attempts";
    static final String REASON = "sb-dlq-reason";

    private final Function<AppendRequest, CompletableFuture<Appended>> publish;

    DeadLetters(Function<AppendRequest, CompletableFuture<Appended>> publish) {
        this.publish = publish;
    }

    static String topicOf(String topic) {
        return topic + SUFFIX;
    }

    /** Appends the dead letters (durably) and returns once committed. */
    void send(String topic, String group, List<Delivery> exhausted) {
        List<MessageDraft> drafts = exhausted.stream().map(d -> draft(topic, group, d)).toList();
        publish.apply(new AppendRequest(topicOf(topic), drafts, Durability.SYNC, null)).join();
    }

    private static MessageDraft draft(String topic, String group, Delivery d) {
        Message m = d.message();
        Map<String, String> headers = new HashMap<>(m.headers());
        headers.put(TOPIC, topic);
        headers.put(GROUP, group);
        headers.put(OFFSET, Long.toString(m.offset()));
        headers.put(ATTEMPTS, Integer.toString(d.attempt()));
        headers.put(REASON, d.lastError() == null ? "lease expired " + d.attempt() + " times without an ack" : d.lastError());
        return new MessageDraft(m.contentType(), m.payload(), headers);
    }
}
