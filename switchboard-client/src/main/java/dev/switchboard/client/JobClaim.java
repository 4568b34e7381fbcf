package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * A job claimed by a worker ({@link SwitchboardClient#claim}): the {@link Job}, its {@code payload} (a JSON value,
 * a string for text, base64 with {@code payloadEncoding = "base64"} for binary) and the {@code lease} token that
 * heartbeat, progress, complete and fail must name. Without a heartbeat or progress before {@code leaseUntil} the
 * job goes back to the queue and the lease is refused from then on.
 */
public record JobClaim(Job job, JsonNode payload, String payloadEncoding, String lease, Instant leaseUntil) {

    /** The payload as text: a string as is, a JSON value as JSON text, binary decoded as UTF-8. */
    public String payloadText() {
        if ("base64".equals(payloadEncoding)) {
            return new String(payloadBytes(), StandardCharsets.UTF_8);
        }
        return payload.isTextual() ? payload.textValue() : payload.toString();
    }

    /** The payload's bytes (base64 decoded for a binary payload). */
    public byte[] payloadBytes() {
        return "base64".equals(payloadEncoding) ? Base64.getDecoder().decode(payload.asText())
                : payloadText().getBytes(StandardCharsets.UTF_8);
    }
}
