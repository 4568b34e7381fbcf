package dev.switchboard.client;

/**
 * A message leased to a consumer group: the topic's {@link Message} and its delivery {@code attempt} (1 the first
 * time; a nack or an expired lease delivers it again with the next attempt).
 */
public record GroupMessage(String group, Message message, int attempt) {
    public long offset() {
        return message.offset();
    }

    /** The payload as text (see {@link Message#text()}). */
    public String text() {
        return message.text();
    }
}
