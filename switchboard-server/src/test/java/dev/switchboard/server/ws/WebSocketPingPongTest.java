package dev.switchboard.server.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.server.TestServer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Pings, pongs and the closing handshake as a real client (java.net.http) sees them; the silent peer on a raw socket. */
class WebSocketPingPongTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void clientPingIsAnsweredWithAPongCarryingTheSamePayload() {
        try (TestServer server = TestServer.start(Map.of("store", "memory"));
             WsClient ws = WsClient.connect(server.url(), Map.of())) {
            ws.sendPing("ping-1");
            ws.sendPing("ping-2 ✓");
            await().atMost(WAIT).until(() -> ws.pongs.size() == 2);
            assertThat(ws.pongs).containsExactly("ping-1", "ping-2 ✓");
        }
    }

    @Test
    void normalCloseIsEchoedWithTheSameCode() throws Exception {
        try (TestServer server = TestServer.start(Map.of("store", "memory"));
             WsClient ws = WsClient.connect(server.url(), Map.of())) {
            ws.sendClose(1000, "done");
            assertThat(ws.closed.get(10, TimeUnit.SECONDS).code()).isEqualTo(1000);
        }
    }

    @Test
    void applicationCloseCodeIsEchoedUnchanged() throws Exception {
        try (TestServer server = TestServer.start(Map.of("store", "memory"));
             WsClient ws = WsClient.connect(server.url(), Map.of())) {
            ws.send("{\"op\":\"subscribe\",\"topic\":\"echo-close\"}");
            await().atMost(WAIT).until(() -> ws.ofType("subscribed").size() == 1);
            ws.sendClose(4001, "switching rooms");
            assertThat(ws.closed.get(10, TimeUnit.SECONDS).code()).isEqualTo(4001);
            var hub = server.server().context().hub();
            await().atMost(WAIT).until(() -> hub.info("echo-close").handle((i, e) -> e != null || i.subscribers().isEmpty()).join());
        }
    }

    @Test
    void clientThatNeverAnswersPingsIsClosedWith1008TwoPingPeriodsAfterThePing() throws Exception {
        try (TestServer server = TestServer.start(Map.of("store", "memory", "ws-ping", "200ms"));
             RawWsClient silent = RawWsClient.connect(server.port())) {
            silent.readFrame(RawWsClient.PING);
            long pinged = System.nanoTime();

            RawWsClient.Closed closed = silent.awaitClose();

            assertThat(closed.code()).isEqualTo(1008);
            assertThat(closed.reason()).startsWith("no pong within 400ms");
            assertThat(Duration.ofNanos(System.nanoTime() - pinged)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        }
    }
}
