package dev.switchboard.server.ws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.microbench.SampleMessages;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WsMessageFrameBenchmarkTest {
    @Test
    void encodesANewMessageAsOneUnmaskedTextFrameOfItsMessageJson() {
        byte[] frame = new WsMessageFrameBenchmark().messageFrame();
        String json = "{\"type\":\"message\",\"topic\":\"bench\",\"offset\":1,\"time\":\"2025-11-28T00:00:00.123Z\",\"data\":"
                + new String(SampleMessages.PAYLOAD, StandardCharsets.UTF_8) + "}";
        assertThat(frame[0]).isEqualTo((byte) 0x81); // FIN, text
        assertThat(frame[1]).isEqualTo((byte) 126); // not masked; a 16-bit length follows
        assertThat(((frame[2] & 0xFF) << 8) | (frame[3] & 0xFF)).isEqualTo(json.length());
        assertThat(new String(frame, 4, frame.length - 4, StandardCharsets.UTF_8)).isEqualTo(json);
    }
}
