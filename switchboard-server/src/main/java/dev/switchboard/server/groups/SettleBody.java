package dev.switchboard.server.groups;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.config.Durations;
import dev.switchboard.core.error.ErrorCode;
import dev.switchboard.core.error.SwitchboardException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The body of an ack or a nack, over HTTP or inside a WebSocket op: {@code "offsets"} (required),
 * {@code "lease"} (required over HTTP; a WebSocket consumer knows its own), and for a nack an optional
 * {@code "delay"} (duration, default 0) and {@code "reason"} (kept for the dead-letter headers).
 */
public record SettleBody(String lease, List<Long> offsets, Duration delay, String reason) {
    /** Most offsets one ack or nack may name: a bound on the work one request makes. */
    public static final int MAX_OFFSETS = 10_000;
    private static final int MAX_REASON = 1_000;

    public static SettleBody parse(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw bad("the body must be a JSON object such as {\"lease\":\"…\",\"offsets\":[1,2]}");
        }
        JsonNode offsets = node.get("offsets");
        if (offsets == null || !offsets.isArray() || offsets.isEmpty()) {
            throw bad("\"offsets\" must be a non-empty array of offsets, e.g. [1,2]");
        }
        if (offsets.size() > MAX_OFFSETS) {
            throw bad("\"offsets\" names " + offsets.size() + " offsets; at most " + MAX_OFFSETS + " per call");
        }
        List<Long> list = new ArrayList<>(offsets.size());
        for (JsonNode o : offsets) {
            if (!o.canConvertToExactIntegral() || !o.canConvertToLong() || o.asLong() < 1) {
                throw bad("\"offsets\" holds " + o + ", which is not an offset (a whole number >= 1)");
            }
            list.add(o.asLong());
        }
        JsonNode lease = node.get("lease");
        if (lease != null && !lease.isTextual()) {
            throw bad("\"lease\" must be the string the fetch answered with");
        }
        return new SettleBody(lease == null ? null : lease.asText(), List.copyOf(list), delay(node.get("delay")), reason(node.get("reason")));
    }

    private static Duration delay(JsonNode delay) {
        if (delay == null || delay.isNull()) {
            return Duration.ZERO;
        }
        if (!delay.isTextual()) {
            throw bad("\"delay\" must be a duration string such as \"5s\"");
        }
        try {
            return Durations.parse(delay.asText());
        } catch (IllegalArgumentException e) {
            throw bad("\"delay\" is invalid: " + e.getMessage());
        }
    }

    private static String reason(JsonNode reason) {
        if (reason == null || reason.isNull()) {
            return null;
        }
        if (!reason.isTextual() || reason.asText().length() > MAX_REASON) {
            throw bad("\"reason\" must be a string of at most " + MAX_REASON + " characters");
        }
        return reason.asText();
    }

    private static SwitchboardException bad(String detail) {
        return new SwitchboardException(ErrorCode.BAD_REQUEST, detail);
    }
}
