package dev.switchboard.server.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WsUtf8Test {
    @Test
    void agreesWithTheJdkDecoderOnRandomBytesSplitAnywhere() {
        Random random = new Random(42);
        byte[] pool = "aé€😀".getBytes(StandardCharsets.UTF_8);
        for (int round = 0; round < 20_000; round++) {
            byte[] bytes = new byte[random.nextInt(12)];
            for (int i = 0; i < bytes.length; i++) {
                // mostly valid pieces, sometimes any byte
                bytes[i] = random.nextInt(4) == 0 ? (byte) random.nextInt(256) : pool[random.nextInt(pool.length)];
            }
            boolean valid = jdkValid(bytes);
            assertThat(whole(bytes)).as("%s", java.util.HexFormat.of().formatHex(bytes)).isEqualTo(valid);
            int split = bytes.length == 0 ? 0 : random.nextInt(bytes.length + 1);
            int state = WsUtf8.scan(Unpooled.wrappedBuffer(bytes, 0, split), WsUtf8.ACCEPT);
            state = WsUtf8.scan(Unpooled.wrappedBuffer(bytes, split, bytes.length - split), state);
            assertThat(state == WsUtf8.ACCEPT).as("%s split at %d", java.util.HexFormat.of().formatHex(bytes), split).isEqualTo(valid);
        }
    }

    @Test
    void refusesSurrogatesOverlongFormsAndCodePointsAboveTheLast() {
        assertThat(whole(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80})).isFalse();
        assertThat(whole(new byte[] {(byte) 0xC0, (byte) 0xAF})).isFalse();
        assertThat(whole(new byte[] {(byte) 0xE0, (byte) 0x80, (byte) 0xAF})).isFalse();
        assertThat(whole(new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80})).isFalse();
        assertThat(whole(new byte[] {(byte) 0xF4, (byte) 0x8F, (byte) 0xBF, (byte) 0xBF})).isTrue();
        assertThat(whole(new byte[] {(byte) 0xEF, (byte) 0xBF, (byte) 0xBF})).isTrue();
    }

    private static boolean whole(byte[] bytes) {
        return WsUtf8.scan(Unpooled.wrappedBuffer(bytes), WsUtf8.ACCEPT) == WsUtf8.ACCEPT;
    }

    private static boolean jdkValid(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
