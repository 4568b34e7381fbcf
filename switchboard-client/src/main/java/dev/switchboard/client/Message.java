package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

/**
 * One message of a topic, as the read API gives it: {@code data} is the JSON value for JSON payloads, a
 * string for text, base64 for anything else ({@code encoding = "base64"}, with its {@code contentType}).
 * {@code time} may be null when the transport does not carry it (SSE).
 */
public record Message(String topic, long offset, Instant time, JsonNode data, String encoding, String contentType,
        Map<String, String> headers) {
    public Message {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    /** The payload as text: a string payload as is, a JSON value as JSON text, binary decoded as UTF-8. */
    public String text() {
        if (isBinary()) {
            return new String(bytes(), StandardCharsets.UTF_8);
        }
        return data.isTextual() ? data.textValue() : data.toString();
    }

    /** The payload's bytes (base64 decoded for binary payloads). */
    public byte[] bytes() {
        return isBinary() ? Base64.getDecoder().decode(data.asText()) : text().getBytes(StandardCharsets.UTF_8);
    }

    public boolean isBinary() {
        return "base64".equals(encoding);
    }
}
