package dev.switchboard.server.sse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.microbench.SampleMessages;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SseEventBenchmarkTest {
    @Test
    void encodesEachNewMessageAsOneEventWithTheNextId() {
        SseEventBenchmark bench = new SseEventBenchmark();
        bench.event();
        String payload = new String(SampleMessages.PAYLOAD, StandardCharsets.UTF_8);
        assertThat(new String(bench.event(), StandardCharsets.UTF_8)).isEqualTo("id: 2\ndata: " + payload + "\n\n");
    }
}
