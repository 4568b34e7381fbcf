package dev.switchboard.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** WebSocket passthrough: the JDK's WebSocket client through the sidecar to an app that speaks WebSocket. */
class WebSocketTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private WebSocketUpstream app;
    private Sidecar sidecar;

    @BeforeEach
    void start() throws Exception {
        app = new WebSocketUpstream();
        sidecar = Sidecar.start(SidecarConfig.of(URI.create(app.url())).withPorts(0, 0));
    }

    @AfterEach
    void stop() {
        sidecar.shutdown();
        app.close();
    }

    /** Collects whole text messages and the close the client hears. */
    private static class Recorder implements WebSocket.Listener {
        final LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                messages.add(partial.toString());
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }
    }

    private WebSocket connect(String path, Recorder recorder) {
        return http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + sidecar.port() + path), recorder)
                .orTimeout(10, TimeUnit.SECONDS).join();
    }

    @Test
    void messagesAreEchoedThroughTheSpliceAndAClientCloseReachesTheApp() throws Exception {
        Recorder recorder = new Recorder();
        WebSocket ws = connect("/ws", recorder);
        ws.sendText("hello", true).join();
        assertThat(recorder.messages.poll(10, TimeUnit.SECONDS)).isEqualTo("hello");
        String big = "x".repeat(512 * 1024); // many TCP segments each way
        ws.sendText(big, true).join();
        assertThat(recorder.messages.poll(10, TimeUnit.SECONDS)).isEqualTo(big);
        assertThat(app.handshake.get(10, TimeUnit.SECONDS).get("X-Forwarded-For")).isEqualTo("127.0.0.1");
        assertThat(sidecar.metrics().scrape()).contains("switchboard_sidecar_websockets 1.0"); // counted before the 101 left

        ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
        assertThat(app.clientClose.get(10, TimeUnit.SECONDS)).isEqualTo(WebSocket.NORMAL_CLOSURE);
        assertThat(recorder.closed.get(10, TimeUnit.SECONDS)).isEqualTo(WebSocket.NORMAL_CLOSURE);
        app.socketClosed.get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> sidecar.metrics().scrape().contains("switchboard_sidecar_websockets 0.0"));
    }

    @Test
    void aCloseFromTheAppReachesTheClient() throws Exception {
        Recorder recorder = new Recorder();
        WebSocket ws = connect("/ws", recorder);
        ws.sendText("close-me", true).join();
        assertThat(recorder.closed.get(10, TimeUnit.SECONDS)).isEqualTo(4000);
        await().atMost(Duration.ofSeconds(10)).until(ws::isInputClosed);
    }

    @Test
    void aClientThatStopsReadingStopsTheAppsWrites() throws Exception {
        WebSocket ws = connect("/ws", new Recorder() {
            @Override
            public CompletionStage<?> onBinary(WebSocket webSocket, java.nio.ByteBuffer data, boolean last) {
                return null; // and no request(1): the client reads nothing more
            }
        });
        ws.sendText("flood", true).join();
        long[] last = {-1};
        int[] same = {0};
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
            long now = app.flooded.get();
            same[0] = now > 0 && now == last[0] ? same[0] + 1 : 0;
            last[0] = now;
            return same[0] >= 3;
        });
        // Socket buffers on three connections hold a few MiB at most; without the splice's backpressure, all 128 MiB go.
        assertThat(last[0]).isLessThan(WebSocketUpstream.FLOOD_BYTES / 4);
        ws.abort();
    }

    @Test
    void anUpgradeTheAppRefusesIsRelayedToTheClient() {
        assertThatThrownBy(() -> connect("/elsewhere", new Recorder()))
                .cause().isInstanceOf(WebSocketHandshakeException.class)
                .satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode()).isEqualTo(404));
    }
}
