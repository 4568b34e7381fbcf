package dev.switchboard.microbench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class SampleMessagesTest {
    @Test
    void payloadIsOneHundredBytesOfJsonLikeTheEndToEndBenchmarks() throws IOException {
        assertThat(SampleMessages.PAYLOAD).hasSize(100);
        assertThat(new ObjectMapper().readTree(SampleMessages.PAYLOAD).get("p").asText()).isEqualTo("bench");
    }
}
