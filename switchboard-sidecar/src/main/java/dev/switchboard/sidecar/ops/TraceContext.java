package dev.switchboard.sidecar.ops;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * W3C Trace Context ({@code traceparent}): the sidecar continues a client's trace with a span of its
 * own, or starts a trace when the client sent none or an invalid one. {@code tracestate} is passed on
 * untouched (it is the vendors' and we add no entry).
 *
 * @param traceId 32 lowercase hex digits, not all zero
 * @param spanId the sidecar's span: the parent the upstream sees
 * @param flags the client's flags, or {@code 01} (sampled: the access log records every request) for a new trace
 */
public record TraceContext(String traceId, String spanId, String flags) {
    public static final String HEADER = "traceparent";
    private static final HexFormat HEX = HexFormat.of();

    /** Continues {@code traceparent} (null or invalid: a new trace). */
    public static TraceContext continueOrStart(String traceparent) {
        if (traceparent != null && traceparent.length() >= 55) {
            String[] parts = traceparent.trim().split("-");
            // Version 00 has exactly four parts; a later version may add some, and we read the first four.
            if (parts.length >= 4 && isHex(parts[0], 2) && !parts[0].equals("ff") && (!parts[0].equals("00") || parts.length == 4)
                    && isHex(parts[1], 32) && !isZero(parts[1]) && isHex(parts[2], 16) && !isZero(parts[2]) && isHex(parts[3], 2)) {
                return new TraceContext(parts[1], newSpanId(), parts[3]);
            }
        }
        return new TraceContext(newTraceId(), newSpanId(), "01");
    }

    /** The header the upstream gets: same trace, the sidecar's span as parent. */
    public String header() {
        return "00-" + traceId + "-" + spanId + "-" + flags;
    }

    // Ids are random longs written as hex: no byte arrays per request. All zero is invalid (W3C Trace Context §3.2.2).
    private static String newTraceId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high;
        long low;
        do {
            high = random.nextLong();
            low = random.nextLong();
        } while (high == 0 && low == 0);
        return HEX.toHexDigits(high).concat(HEX.toHexDigits(low));
    }

    private static String newSpanId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long id;
        do {
            id = random.nextLong();
        } while (id == 0);
        return HEX.toHexDigits(id);
    }

    private static boolean isHex(String s, int length) {
        if (s.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isZero(String hex) {
        return hex.chars().allMatch(c -> c == '0');
    }
}
