package dev.switchboard.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonRepliesTest {
    @Test
    void aSmallDocumentIsExactlyItsBytes() {
        byte[] bytes = JsonReplies.bytes(g -> {
            g.writeStartObject();
            g.writeStringField("id", "j-1");
            g.writeNumberField("version", 3);
            g.writeEndObject();
        });
        assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo("{\"id\":\"j-1\",\"version\":3}");
    }

    @Test
    void aDocumentLargerThanTheGeneratorsBufferArrivesWhole() {
        String[] items = new String[3_000];
        for (int i = 0; i < items.length; i++) {
            items[i] = "item-" + i + "-é";
        }
        ByteBuf buf = JsonReplies.json(g -> {
            g.writeStartArray();
            for (String item : items) {
                g.writeString(item);
            }
            g.writeEndArray();
        });
        try {
            String expected = "[\"" + String.join("\",\"", items) + "\"]";
            assertThat(expected.length()).isGreaterThan(3 * 8_000); // several flushes of the generator's buffer
            assertThat(buf.toString(StandardCharsets.UTF_8)).isEqualTo(expected);
            assertThat(ByteBufUtil.getBytes(buf)).hasSize(expected.getBytes(StandardCharsets.UTF_8).length);
        } finally {
            buf.release();
        }
    }
}
