package dev.switchboard.microbench;

import dev.switchboard.core.message.Message;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The message every benchmark uses: 100 bytes of JSON, as {@code bench/wrk/publish.lua} and the peer harness publish. */
public final class SampleMessages {
    public static final String TOPIC = "bench";
    public static final String CONTENT_TYPE = "application/json";
    /** {@code {"p":"bench","pad":"xx…x"}}, 100 bytes. */
    public static final byte[] PAYLOAD = ("{\"p\":\"bench\",\"pad\":\"" + "x".repeat(78) + "\"}").getBytes(StandardCharsets.US_ASCII);
    /** 2025-11-28T00:00:00.123Z: fixed, so encodings do not vary between runs; with milliseconds, as most times have. */
    public static final long TIME_MILLIS = 1_764_288_000_123L;

    private SampleMessages() {}

    /** A message as the store hands it to the hub: nothing encoded yet. */
    public static Message message(long offset) {
        return new Message(TOPIC, offset, TIME_MILLIS, CONTENT_TYPE, PAYLOAD, Map.of());
    }
}
