package dev.switchboard.server.api;

import dev.switchboard.core.config.Durations;
import dev.switchboard.core.error.ErrorCode;
import dev.switchboard.core.error.SwitchboardException;
import java.time.Duration;

/** Query parameters every endpoint reads the same way, refused with their name and value. */
public final class QueryParams {
    private QueryParams() {}

    /** A duration such as {@code 250ms}, {@code 30s}, {@code 5m}; null when absent. */
    public static Duration duration(String name, String value) {
        if (value == null) {
            return null;
        }
        try {
            return Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new SwitchboardException(ErrorCode.BAD_REQUEST, name + "=" + value + " is invalid: " + e.getMessage());
        }
    }

    /** A whole number such as {@code max=10}; {@code absent} when the parameter is not given. Ranges are the caller's. */
    public static int count(String name, String value, int absent) {
        if (value == null) {
            return absent;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new SwitchboardException(ErrorCode.BAD_REQUEST, name + "=" + value + " is invalid: use a whole number");
        }
    }
}
