package dev.switchboard.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The server does not check tokens yet and exposes no request headers, so the header is asserted on the wire:
 * a raw ServerSocket records each request's head and answers like the publish endpoint would.
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
                byte[] body = "{\"topic\":\"orders\",\"offset\":1,\"time\":\"2026-11-27T20:38:05.910Z\"}".getBytes(StandardCharsets.UTF_8);
                OutputStream out = s.getOutputStream();
                out.write(("HTTP/1.1 201 Created\r\ncontent-type: application/json\r\nconnection: close\r\ncontent-length: "
                        + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.write(body);
                out.flush();
            } catch (IOException e) {
                return; // the socket closed at the end of the test
            }
        }
    }
}
