package dev.switchboard.sidecar.grip;

import dev.switchboard.core.error.SwitchboardException;
import dev.switchboard.core.message.Topics;
import io.netty.handler.codec.http.HttpHeaders;
import java.time.Duration;
import java.util.Locale;

/** Reads a {@link GripInstruction} from upstream response headers, and strips GRIP headers before a client sees them. */
final class GripHeaders {
    static final String HOLD = "grip-hold";
    static final String CHANNEL = "grip-channel";
    static final String TIMEOUT = "grip-timeout";

    private GripHeaders() {}

    /** Null when the response is not a hold; {@link IllegalArgumentException} (with the reason) when it is a broken one. */
    static GripInstruction parse(HttpHeaders h, Duration defaultTimeout, Duration maxTimeout) {
        String hold = h.get(HOLD);
        if (hold == null) {
            return null;
        }
        GripInstruction.Kind kind = switch (hold.trim().toLowerCase(Locale.ROOT)) {
            case "stream" -> GripInstruction.Kind.STREAM;
            case "response" -> GripInstruction.Kind.RESPONSE;
            default -> throw new IllegalArgumentException("Grip-Hold: " + hold + " is neither 'stream' nor 'response'");
        };
        if (h.getAll(CHANNEL).size() != 1) {
            throw new IllegalArgumentException("Grip-Hold needs exactly one Grip-Channel (got " + h.getAll(CHANNEL).size()
                    + "); one topic per held request for now");
        }
        String[] parts = h.get(CHANNEL).split(";");
        String topic = parts[0].trim();
        try {
            Topics.requireValid(topic);
        } catch (SwitchboardException e) {
            throw new IllegalArgumentException("Grip-Channel: " + e.detail());
        }
        Long after = null;
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim();
            if (p.startsWith("prev-id=")) {
                try {
                    after = Long.parseLong(p.substring("prev-id=".length()).replace("\"", ""));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("Grip-Channel prev-id must be an offset (a number), got " + p);
                }
            }
        }
        Duration timeout = defaultTimeout;
        String t = h.get(TIMEOUT);
        if (t != null) {
            try {
                timeout = Duration.ofSeconds(Long.parseLong(t.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Grip-Timeout must be whole seconds, got " + t);
            }
        }
        if (timeout.compareTo(maxTimeout) > 0) {
            timeout = maxTimeout;
        }
        return new GripInstruction(kind, topic, after, timeout);
    }

    /** Removes every {@code Grip-*} header: they are for the sidecar, not the client. */
    static void strip(HttpHeaders h) {
        var names = new java.util.ArrayList<String>();
        for (var e : h) {
            if (e.getKey().regionMatches(true, 0, "grip-", 0, 5)) {
                names.add(e.getKey());
            }
        }
        names.forEach(h::remove);
    }
}
