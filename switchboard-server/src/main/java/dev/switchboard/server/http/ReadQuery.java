package dev.switchboard.server.http;

import dev.switchboard.core.config.Durations;
import dev.switchboard.core.config.Limits;
import dev.switchboard.core.error.ErrorCode;
import dev.switchboard.core.error.SwitchboardException;
import dev.switchboard.server.pipeline.RouteMatch;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * The query of a read: {@code after} (null = from the current end), {@code limit}, {@code wait}
 * ({@code waitFor}: null = short poll, else long poll) and {@code epoch}; each checked against the server's limits,
 * with the numbers in the refusal.
 */
record ReadQuery(Long after, int limit, Duration waitFor, String epoch) {
    static final int DEFAULT_LIMIT = 100;
    private static final Pattern OFFSET = Pattern.compile("\\d{1,19}");
    private static final Pattern COUNT = Pattern.compile("-?\\d{1,10}");

    static ReadQuery parse(RouteMatch match, Limits limits) {
        return new ReadQuery(after(match.param("after")), limit(match.param("limit"), limits.maxReadMessages()),
                wait(match.param("wait"), limits.maxWait()), match.param("epoch"));
    }

    private static Long after(String value) {
        if (value == null) {
            return null;
        }
        try {
            if (OFFSET.matcher(value).matches()) {
                return Long.parseLong(value);
            }
        } catch (NumberFormatException tooBig) {
            // falls through to the refusal
        }
        throw new SwitchboardException(ErrorCode.BAD_REQUEST, "after=" + value
                + " is invalid: it must be an offset, a whole number >= 0 (after=0 reads from the oldest; omit it to start at the end)");
    }

    private static int limit(String value, int max) {
        if (value == null) {
            return Math.min(DEFAULT_LIMIT, max);
        }
        long n = COUNT.matcher(value).matches() ? Long.parseLong(value) : 0;
        if (n < 1 || n > max) {
            throw new SwitchboardException(ErrorCode.BAD_REQUEST,
                    "limit=" + value + " is out of range: use a whole number from 1 to " + max + " (max-read)");
        }
        return (int) n;
    }

    private static Duration wait(String value, Duration max) {
        if (value == null) {
            return null;
        }
        Duration wait;
        try {
            wait = Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new SwitchboardException(ErrorCode.BAD_REQUEST, "wait=" + value + " is invalid: " + e.getMessage());
        }
        if (wait.compareTo(max) > 0) {
            throw new SwitchboardException(ErrorCode.WAIT_TOO_LONG, "wait=" + value + " (" + wait.toMillis()
                    + "ms) is above the server's cap of " + Durations.format(max) + " (" + max.toMillis() + "ms, max-wait)");
        }
        return wait;
    }
}
