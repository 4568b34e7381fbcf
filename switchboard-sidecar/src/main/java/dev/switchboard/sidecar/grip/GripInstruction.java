package dev.switchboard.sidecar.grip;

import java.time.Duration;

/**
 * An upstream's hand-over of a request: {@code Grip-Hold: stream|response}, {@code Grip-Channel:
 * <topic>[; prev-id=<offset>]} and, for {@code response}, {@code Grip-Timeout: <seconds>}.
 *
 * @param after deliver messages after this offset (from {@code prev-id}); null: only ones published from now on
 */
public record GripInstruction(Kind kind, String topic, Long after, Duration timeout) {
    public enum Kind {
        STREAM, RESPONSE;

        public String text() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
