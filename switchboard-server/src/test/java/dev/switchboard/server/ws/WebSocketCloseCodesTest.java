package dev.switchboard.server.ws;

import static dev.switchboard.server.ws.RawWsClient.BINARY;
import static dev.switchboard.server.ws.RawWsClient.CLOSE;
import static dev.switchboard.server.ws.RawWsClient.CONT;
import static dev.switchboard.server.ws.RawWsClient.PING;
import static dev.switchboard.server.ws.RawWsClient.PONG;
import static dev.switchboard.server.ws.RawWsClient.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * RFC 6455 conformance on a raw socket: each case sends what a browser never would and asserts the
 * exact close code the server answers with, and that the connection ends after it.
 */
class WebSocketCloseCodesTest {
    private static final int MAX_FRAME = 1024;
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("store", "memory", "max-frame", MAX_FRAME + "B"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    // 1002 protocol error

    @Test
    void reservedBitsWithoutANegotiatedExtensionCloseWith1002() throws IOException {
        try (RawWsClient ws = connect()) {
            ws.send(true, 0b100, TEXT, subscribe("rsv"));
            assertThat(ws.awaitClose().code()).isEqualTo(1002);
        }
    }

    @ParameterizedTest(name = "opcode {0}")
    @ValueSource(ints = {0x3, 0x7, 0xB, 0xF})
    void reservedOpcodesCloseWith1002(int opcode) throws IOException {
        try (RawWsClient ws = connect()) {
            ws.send(true, 0, opcode, new byte[0]);
            assertThat(ws.awaitClose().code()).isEqualTo(1002);
        }
    }

    @Test
    void fragmentedPingClosesWith1002() throws IOException {
        try (RawWsClient ws = connect()) {
            ws.send(false, 0, PING, bytes("a"));
            ws.send(true, 0, CONT, bytes("b"));
            assertThat(ws.awaitClose().code()).isEqualTo(1002);
        }
    }

    @Test
    void controlFramePayloadAbove125BytesClosesWith1002() throws IOException {
        try (RawWsClient ws = connect()) {
            ws.send(true, 0, PING, new byte[126]);
            assertThat(ws.awaitClose().code()).isEqualTo(1002);
        }
    }

    @Test
    void continuationWithoutAStartedMessageClosesWith1002() throws IOException {
        try (RawWsClient ws = connect()) {
            ws.send(true, 0, CONT, subscribe("cont"));
            assertThat(ws.awaitClose().code()).isEqualTo(1002);
        }
    }

    @Test
    void newTextFrameWhileAFragmentedMessageIsOpenClosesWith1002() throws IOException {
        try (RawWsClient ws = connect()) {
            ws.send(false, 0, TEXT, bytes("{\"op\":"));
            ws.send(true, 0, TEXT, subscribe("interleaved"));
            assertThat(ws.awaitClose().code()).isEqualTo(1002);
        }
    }

    @Test
    void unmaskedClientFrameClosesWith1002() throws IOException {
        try (RawWsClient ws = connect()) {
            ws.write(RawWsClient.frame(true, 0, TEXT, subscribe("unmasked"), false));
            assertThat(ws.awaitClose().code()).isEqualTo(1002);
        }
    }

    @Test
    void closeFrameWithAOneBytePayloadClosesWith1002() throws IOException {
        try (RawWsClient ws = connect()) {
            ws.send(true, 0, CLOSE, new byte[] {0x03});
            assertThat(ws.awaitClose().code()).isEqualTo(1002);
        }
    }

    @ParameterizedTest(name = "close code {0}")
    @ValueSource(ints = {0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 32768, 65535})
    void closeWithACodeNotAllowedOnTheWireIsAnsweredWith1002(int code) throws IOException {
        try (RawWsClient ws = connect()) {
            ws.sendClose(code, new byte[0]);
            assertThat(ws.awaitClose().code()).isEqualTo(1002);
        }
    }

    // Closing handshake

    @ParameterizedTest(name = "close code {0}")
    @ValueSource(ints = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999})
    void validCloseIsEchoedWithTheSameCodeThenTheConnectionEnds(int code) throws IOException {
        try (RawWsClient ws = connect()) {
            ws.sendClose(code, bytes("bye ünïcödé"));
            assertThat(ws.awaitClose().code()).isEqualTo(code);
        }
    }

    @Test
    void closeWithoutABodyIsEchoedWithoutABody() throws IOException {
        try (RawWsClient ws = connect()) {
            ws.send(true, 0, CLOSE, new byte[0]);
            RawWsClient.Frame echo = ws.readFrame(CLOSE);
            assertThat(echo.payload()).isEmpty();
        }
    }

    // 1007 invalid payload data

    @Test
    void textMessageThatIsNotUtf8ClosesWith1007() throws IOException {
        try (RawWsClient ws = connect()) {
            ws.send(true, 0, TEXT, concat(bytes("{\"op\":\""), new byte[] {(byte) 0xC3, 0x28}, bytes("\"}")));
            assertThat(ws.awaitClose().code()).isEqualTo(1007);
        }
    }

    @Test
    void textMessageWithAnEncodedSurrogateClosesWith1007() throws IOException {
        try (RawWsClient ws = connect()) {
            ws.send(true, 0, TEXT, concat(bytes("\""), new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, bytes("\"")));
            assertThat(ws.awaitClose().code()).isEqualTo(1007);
        }
    }

    @Test
    void invalidUtf8SplitAcrossFragmentsClosesWith1007() throws IOException {
        try (RawWsClient ws = connect()) {
            // E2 82 starts a three-byte sequence; the next fragment goes on with '(' instead of its last byte.
            ws.send(false, 0, TEXT, concat(bytes("{\"op\":\"x"), new byte[] {(byte) 0xE2, (byte) 0x82}));
            ws.send(true, 0, CONT, bytes("(\"}"));
            assertThat(ws.awaitClose().code()).isEqualTo(1007);
        }
    }

    @Test
    void textMessageEndingInsideACharacterClosesWith1007() throws IOException {
        try (RawWsClient ws = connect()) {
            ws.send(false, 0, TEXT, bytes("\"abc"));
            ws.send(true, 0, CONT, new byte[] {(byte) 0xE2, (byte) 0x82});
            assertThat(ws.awaitClose().code()).isEqualTo(1007);
        }
    }

    @Test
    void characterSplitAcrossFragmentsIsOneValidMessage() throws IOException {
        byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
        try (RawWsClient ws = connect()) {
            ws.send(false, 0, TEXT, concat(bytes("{\"op\":\"publish\",\"topic\":\"split\",\"data\":\"price "), Arrays.copyOf(euro, 1)));
            ws.send(false, 0, CONT, Arrays.copyOfRange(euro, 1, 2));
            ws.send(true, 0, CONT, concat(Arrays.copyOfRange(euro, 2, 3), bytes("5\",\"id\":7}")));
            JsonNode ack = WsClient.JSON.readTree(ws.readFrame(TEXT).text());
            assertThat(ack.get("type").asText()).isEqualTo("ack");
            assertThat(ack.get("id").asInt()).isEqualTo(7);
        }
    }

    @Test
    void closeReasonThatIsNotUtf8IsAnsweredWith1007() throws IOException {
        try (RawWsClient ws = connect()) {
            ws.sendClose(1000, new byte[] {'o', 'k', (byte) 0xFF});
            assertThat(ws.awaitClose().code()).isEqualTo(1007);
        }
    }

    @Test
    void framesAfterAViolationAreNotActedOn() throws Exception {
        try (RawWsClient ws = connect()) {
            ByteArrayOutputStream both = new ByteArrayOutputStream();
            both.writeBytes(RawWsClient.frame(true, 0, TEXT, new byte[] {(byte) 0xFF}, true));
            both.writeBytes(RawWsClient.frame(true, 0, TEXT, bytes("{\"op\":\"publish\",\"topic\":\"after-violation\",\"data\":1}"), true));
            ws.write(both.toByteArray());
            assertThat(ws.awaitClose().code()).isEqualTo(1007);
        }
        var info = server.server().context().hub().info("after-violation").handle((i, e) -> e != null ? 0L : i.count()).join();
        assertThat(info).isZero();
    }

    // 1009 message too big, 1003 unsupported data

    @Test
    void frameAboveMaxFrameClosesWith1009() throws IOException {
        try (RawWsClient ws = connect()) {
            ws.send(true, 0, TEXT, new byte[MAX_FRAME + 1]);
            assertThat(ws.awaitClose().code()).isEqualTo(1009);
        }
    }

    @Test
    void fragmentedMessageWhoseTotalPassesMaxFrameClosesWith1009() throws IOException {
        byte[] part = new byte[MAX_FRAME / 2 + 1];
        Arrays.fill(part, (byte) 'a');
        try (RawWsClient ws = connect()) {
            ws.send(false, 0, TEXT, part);
            ws.send(true, 0, CONT, part);
            assertThat(ws.awaitClose().code()).isEqualTo(1009);
        }
    }

    @Test
    void closeFrameSurvivesTheClientSendingMoreAfterIt() throws IOException {
        try (RawWsClient ws = connect()) {
            ws.write(Arrays.copyOf(RawWsClient.frame(true, 0, TEXT, new byte[64 * 1024], true), 4 * 1024));
            await().atMost(Duration.ofSeconds(10)).until(() -> ws.unread() > 0); // the 1009 is here, not yet read
            // The rest of the refused frame reaches the server after its close frame went out. Closing a
            // socket with unread bytes makes the kernel send a reset, which would destroy the close frame
            // before the client reads it; the server drains instead.
            ws.write(new byte[60 * 1024]);
            assertThat(ws.awaitClose().code()).isEqualTo(1009);
        }
    }

    @Test
    void binaryMessageClosesWith1003() throws IOException {
        try (RawWsClient ws = connect()) {
            ws.send(true, 0, BINARY, new byte[] {1, 2, 3});
            assertThat(ws.awaitClose().code()).isEqualTo(1003);
        }
    }

    // Ping and pong

    @Test
    void pingIsAnsweredWithAPongCarryingTheSamePayload() throws IOException {
        try (RawWsClient ws = connect()) {
            ws.send(true, 0, PING, bytes("are you there?"));
            assertThat(ws.readFrame(PONG).text()).isEqualTo("are you there?");
        }
    }

    @Test
    void pingBetweenFragmentsIsAnsweredAndTheMessageStillCompletes() throws IOException {
        try (RawWsClient ws = connect()) {
            ws.send(false, 0, TEXT, bytes("{\"op\":\"subscribe\","));
            ws.send(true, 0, PING, bytes("mid"));
            assertThat(ws.readFrame(PONG).text()).isEqualTo("mid");
            ws.send(true, 0, CONT, bytes("\"topic\":\"fragmented\"}"));
            JsonNode reply = WsClient.JSON.readTree(ws.readFrame(TEXT).text());
            assertThat(reply.get("type").asText()).isEqualTo("subscribed");
        }
    }

    @Test
    void unsolicitedPongIsIgnored() throws IOException {
        try (RawWsClient ws = connect()) {
            ws.send(true, 0, PONG, bytes("heartbeat"));
            ws.sendText("{\"op\":\"subscribe\",\"topic\":\"after-pong\"}");
            JsonNode reply = WsClient.JSON.readTree(ws.readFrame(TEXT).text());
            assertThat(reply.get("type").asText()).isEqualTo("subscribed");
        }
    }

    // Handshake

    @Test
    void upgradeAskingForAVersionOtherThan13IsAnswered426Offering13() throws IOException {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET /v1/ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 8\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            StringBuilder head = new StringBuilder();
            int c;
            while (head.indexOf("\r\n\r\n") < 0 && (c = s.getInputStream().read()) >= 0) {
                head.append((char) c);
            }
            assertThat(head.toString()).startsWith("HTTP/1.1 426").containsIgnoringCase("sec-websocket-version: 13");
        }
    }

    private static RawWsClient connect() throws IOException {
        return RawWsClient.connect(server.port());
    }

    private static byte[] subscribe(String topic) {
        return bytes("{\"op\":\"subscribe\",\"topic\":\"" + topic + "\"}");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return b.toByteArray();
    }
}
