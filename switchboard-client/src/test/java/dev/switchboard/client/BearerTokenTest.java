package dev.switchboard.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The server does not check tokens yet and exposes no request headers, so the header is asserted on the wire:
 * a raw ServerSocket records each request's head and answers like the server would: a publish with 201, any
 * GET (read, stream, WebSocket upgrade) with 503 so that subscriptions reconnect.
 */
class BearerTokenTest {

    @Test
    void theTokenSupplierIsAskedOnEveryRequestAndItsTokenSentAsBearer() throws Exception {
        List<List<String>> heads = new CopyOnWriteArrayList<>();
        try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> answer(socket, heads));
            AtomicInteger asked = new AtomicInteger();
            try (SwitchboardClient client = SwitchboardClient.builder("http://127.0.0.1:" + socket.getLocalPort())
                    .bearerToken(() -> "token-" + asked.incrementAndGet()).build()) {

                client.publishText("orders", "one");
                client.publishText("orders", "two");

                assertThat(asked).hasValue(2);
            }
        }
        assertThat(heads).hasSize(2);
        assertThat(heads.get(0)).anyMatch(h -> h.equalsIgnoreCase("authorization: Bearer token-1"));
        assertThat(heads.get(1)).anyMatch(h -> h.equalsIgnoreCase("authorization: Bearer token-2"));
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void everyReconnectAsksForAFreshToken(Transport transport) throws Exception {
        List<List<String>> heads = new CopyOnWriteArrayList<>();
        try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> answer(socket, heads));
            AtomicInteger asked = new AtomicInteger();
            try (SwitchboardClient client = SwitchboardClient.builder("http://127.0.0.1:" + socket.getLocalPort())
                    .bearerToken(() -> "token-" + asked.incrementAndGet()).build()) {

                // Every GET is answered 503: the subscription keeps reconnecting, each time with a token asked anew.
                client.subscribe("orders", SubscriptionTest.options(transport).after(0)
                        .backoff(Duration.ofMillis(5), Duration.ofMillis(20)), m -> { });

                await().atMost(Duration.ofSeconds(20)).until(() -> heads.size() >= 3);
            }
        }
        for (int i = 0; i < 3; i++) {
            String expected = "authorization: Bearer token-" + (i + 1);
            assertThat(heads.get(i)).as("request " + (i + 1)).anyMatch(h -> h.equalsIgnoreCase(expected));
        }
        if (transport == Transport.WEBSOCKET) {
            assertThat(heads.get(0)).anyMatch(h -> h.equalsIgnoreCase("upgrade: websocket"));
        }
    }

    private static void answer(ServerSocket socket, List<List<String>> heads) {
        while (!socket.isClosed()) {
            try (Socket s = socket.accept()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
                List<String> head = new ArrayList<>();
                int length = 0;
                for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                    head.add(line);
                    if (line.toLowerCase().startsWith("content-length:")) {
                        length = Integer.parseInt(line.substring(15).trim());
                    }
                }
                in.skip(length); // ISO-8859-1: one char per byte
                heads.add(head);
                boolean publish = head.get(0).startsWith("POST");
                byte[] body = (publish ? "{\"topic\":\"orders\",\"offset\":1,\"time\":\"2026-11-27T20:38:05.910Z\"}"
                        : "{\"status\":503,\"code\":\"shutting-down\",\"detail\":\"stub\",\"retryable\":true}")
                        .getBytes(StandardCharsets.UTF_8);
                OutputStream out = s.getOutputStream();
                out.write(((publish ? "HTTP/1.1 201 Created" : "HTTP/1.1 503 Service Unavailable")
                        + "\r\ncontent-type: application/json\r\nconnection: close\r\ncontent-length: "
                        + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.write(body);
                out.flush();
            } catch (IOException e) {
                return; // the socket closed at the end of the test
            }
        }
    }
}
