package dev.switchboard.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class IdleTimeoutTest {

    /**
     * A peer that vanished sends no close: a raw socket stands in for it (it answers the SSE headers, then
     * nothing, and never closes), since a real server always closes its streams.
     */
    @Test
    void aSilentStreamIsDroppedAndReconnectedAfterTheIdleTimeout() throws Exception {
        List<Socket> held = new CopyOnWriteArrayList<>();
        try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> holdSilently(socket, held));
            Recorder r = new Recorder();
            try (SwitchboardClient client = SwitchboardClient.builder("http://127.0.0.1:" + socket.getLocalPort()).build()) {
                client.subscribe("silent", SubscriptionTest.options(Transport.SSE).after(0).idleTimeout(Duration.ofMillis(300)), r);

                await().atMost(Duration.ofSeconds(20)).until(() -> held.size() >= 2);
            }
            assertThat(r.reconnects).first().satisfies(e -> assertThat(e.detail()).contains("idle timeout"));
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"SSE", "WEBSOCKET"})
    void aQuietStreamKeptAliveByTheServerIsNotDropped(Transport transport) {
        // The server writes a heartbeat (SSE) or pings (WebSocket) every 100ms; the client gives up after 600ms.
        try (RealServer server = RealServer.memory(Map.of("sse-heartbeat", "100ms", "ws-ping", "100ms"));
                SwitchboardClient client = SwitchboardClient.builder(server.url()).build()) {
            Recorder r = new Recorder();
            client.subscribe("kept", SubscriptionTest.options(transport).after(0).idleTimeout(Duration.ofMillis(600)), r);

            await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(20)).until(() -> true);
            client.publishText("kept", "still here");

            await().atMost(Duration.ofSeconds(20)).until(() -> r.messages.size() == 1);
            assertThat(r.reconnects).isEmpty();
        }
    }

    private static void holdSilently(ServerSocket socket, List<Socket> held) {
        while (!socket.isClosed()) {
            try {
                Socket s = socket.accept();
                held.add(s);
                OutputStream out = s.getOutputStream();
                out.write("HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n"
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            } catch (IOException e) {
                return;
            }
        }
    }
}
