package dev.switchboard.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.microbench.SampleMessages;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ReadBodyBenchmarkTest {
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void encodesANewMessageAsItsReadItem() {
        assertThat(new String(new ReadBodyBenchmark().item(), StandardCharsets.UTF_8)).isEqualTo(
                "{\"offset\":1,\"time\":\"2025-11-28T00:00:00.123Z\",\"data\":" + new String(SampleMessages.PAYLOAD, StandardCharsets.UTF_8) + "}");
    }

    @Test
    void answersWithAFullPageOfOneHundredMessages() throws IOException {
        ReadBodyBenchmark bench = new ReadBodyBenchmark();
        bench.encodedPage();
        ByteBuf body = bench.answer();
        JsonNode answer = json.readTree(body.toString(StandardCharsets.UTF_8));
        body.release();
        assertThat(answer.get("topic").asText()).isEqualTo(SampleMessages.TOPIC);
        assertThat(answer.get("messages")).hasSize(100);
        assertThat(answer.get("messages").get(99).get("offset").asLong()).isEqualTo(100);
        assertThat(answer.get("messages").get(0).get("data")).isEqualTo(json.readTree(SampleMessages.PAYLOAD));
        assertThat(answer.get("next").asLong()).isEqualTo(100);
    }
}
