package dev.switchboard.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An app that closes a kept-alive connection just as the sidecar reuses it (its keep-alive timeout ran out first):
 * an idempotent request without a body is sent once more on a fresh connection; one with a body, or with a method
 * that is not idempotent, is not (the app may have acted on it), and the client gets a 502.
 */
class AppClosesFirstTest {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private ClosingApp app;
    private Sidecar sidecar;

    @BeforeEach
    void start() throws Exception {
        app = new ClosingApp();
        // One connection: the second request can only go over the one the first left idle.
        sidecar = Sidecar.start(SidecarConfig.of(URI.create("http://127.0.0.1:" + app.port())).withPorts(0, 0)
                .withPool(new PoolSettings(1, Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofSeconds(5), 10)));
    }

    @AfterEach
    void stop() throws IOException {
        sidecar.shutdown();
        app.close();
    }

    private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(sidecar.url() + path));
    }

    @Test
    void aGetOnAConnectionTheAppClosedIsSentAgainOnAFreshOne() throws Exception {
        assertThat(send(request("/first")).statusCode()).isEqualTo(200);
        HttpResponse<String> second = send(request("/second"));
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(second.body()).isEqualTo("answered on connection 2");
        assertThat(app.requestLines).containsExactly("GET /first HTTP/1.1", "GET /second HTTP/1.1", "GET /second HTTP/1.1");
    }

    @Test
    void aRequestWithABodyIsNotSentAgainAndTheClientGetsA502() throws Exception {
        assertThat(send(request("/first")).statusCode()).isEqualTo(200);
        HttpResponse<String> post = send(request("/orders").POST(HttpRequest.BodyPublishers.ofString("one order")));
        assertThat(post.statusCode()).isEqualTo(502);
        assertThat(post.headers().firstValue("content-type")).hasValue("application/problem+json");
        assertThat(app.requestLines).containsExactly("GET /first HTTP/1.1", "POST /orders HTTP/1.1");
        assertThat(app.connections.get()).isEqualTo(1);
    }

    @Test
    void aBodylessPostIsNotSentAgainEither() throws Exception {
        assertThat(send(request("/first")).statusCode()).isEqualTo(200);
        HttpResponse<String> post = send(request("/orders").POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(post.statusCode()).isEqualTo(502);
        assertThat(app.requestLines).containsExactly("GET /first HTTP/1.1", "POST /orders HTTP/1.1");
        assertThat(app.connections.get()).isEqualTo(1);
    }

    @Test
    void aBodylessDeleteIsSentAgainLikeAGet() throws Exception {
        assertThat(send(request("/first")).statusCode()).isEqualTo(200);
        assertThat(send(request("/orders/7").DELETE()).body()).isEqualTo("answered on connection 2");
        assertThat(app.requestLines).containsExactly("GET /first HTTP/1.1", "DELETE /orders/7 HTTP/1.1", "DELETE /orders/7 HTTP/1.1");
    }

    /** Answers the first request of each connection, then reads the next one whole and closes without a word. */
    private static final class ClosingApp implements AutoCloseable {
        final List<String> requestLines = new CopyOnWriteArrayList<>();
        final AtomicInteger connections = new AtomicInteger();
        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());

        ClosingApp() throws IOException {
            Thread.ofVirtual().start(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket s = server.accept();
                        int n = connections.incrementAndGet();
                        Thread.ofVirtual().start(() -> serve(s, n));
                    } catch (IOException e) {
                        return; // closed
                    }
                }
            });
        }

        int port() {
            return server.getLocalPort();
        }

        private void serve(Socket s, int connection) {
            try (s) {
                InputStream in = s.getInputStream();
                readRequest(in);
                byte[] body = ("answered on connection " + connection).getBytes(StandardCharsets.US_ASCII);
                s.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().write(body);
                s.getOutputStream().flush();
                readRequest(in);
            } catch (IOException e) {
                // the sidecar went away first: nothing to answer
            }
        }

        /** Reads one request (head and Content-Length body) and records its request line. */
        private void readRequest(InputStream in) throws IOException {
            int length = 0;
            String line;
            boolean first = true;
            while (!(line = readLine(in)).isEmpty()) {
                if (first) {
                    requestLines.add(line);
                    first = false;
                } else if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).trim());
                }
            }
            in.readNBytes(length);
        }

        private static String readLine(InputStream in) throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b; (b = in.read()) != '\n'; ) {
                if (b < 0) {
                    throw new IOException("the connection ended");
                }
                if (b != '\r') {
                    line.write(b);
                }
            }
            return line.toString(StandardCharsets.US_ASCII);
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
