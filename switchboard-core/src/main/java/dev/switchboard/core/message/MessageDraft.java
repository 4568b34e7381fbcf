package dev.switchboard.core.message;

import java.util.Map;

/** A message before the store gave it an offset and a time. */
public record MessageDraft(String contentType, byte[] payload, Map<String, String> headers) {
    public MessageDraft {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    public static MessageDraft of(String contentType, byte[] payload) {
        return new MessageDraft(contentType, payload, Map.of());
    }
}
