package dev.switchboard.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Request-smuggling shapes, sent byte for byte on a raw socket: each is refused with 400, the connection
 * is closed (what follows on the wire cannot be trusted), and the app sees nothing of it.
 */
class SmugglingTest {
    private static TestUpstream app;
    private static Sidecar sidecar;

    @BeforeAll
    static void start() throws Exception {
        app = TestUpstream.start();
        sidecar = Sidecar.start(SidecarConfig.of(URI.create(app.url())).withPorts(0, 0));
    }

    @AfterAll
    static void stop() {
        sidecar.shutdown();
        app.close();
    }

    static Stream<Arguments> smuggling() {
        String smuggled = "GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n";
        return Stream.of(
                Arguments.of("Content-Length and Transfer-Encoding together",
                        "POST /hello HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + smuggled),
                Arguments.of("two differing Content-Length headers",
                        "POST /hello HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 40\r\n\r\nhello" + smuggled),
                Arguments.of("one Content-Length with two differing values",
                        "POST /hello HTTP/1.1\r\nHost: x\r\nContent-Length: 5, 40\r\n\r\nhello" + smuggled),
                Arguments.of("an obs-fold continuation line",
                        "GET /hello HTTP/1.1\r\nHost: x\r\nX-Folded: a\r\n b\r\n\r\n"),
                Arguments.of("an obs-fold hiding Transfer-Encoding",
                        "POST /hello HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nX: y\r\n Transfer-Encoding: chunked\r\n\r\nabc"),
                Arguments.of("a chunk size that is not hex",
                        "POST /hello HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n"),
                Arguments.of("a negative chunk size",
                        "POST /hello HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n-5\r\nhello\r\n0\r\n\r\n"),
                Arguments.of("a chunk size overflowing 64 bits",
                        "POST /hello HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n10000000000000005\r\nhello\r\n0\r\n\r\n"),
                Arguments.of("a Transfer-Encoding other than chunked",
                        "POST /hello HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, identity\r\n\r\n5\r\nhello\r\n0\r\n\r\n"),
                Arguments.of("a Transfer-Encoding with a tab-obscured value",
                        "POST /hello HTTP/1.1\r\nHost: x\r\nTransfer-Encoding:\txchunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"),
                Arguments.of("a header name with a space before the colon",
                        "GET /hello HTTP/1.1\r\nHost: x\r\nTransfer-Encoding : chunked\r\n\r\n"),
                Arguments.of("a header name with a control character",
                        "GET /hello HTTP/1.1\r\nHost: x\r\nX-Bad\u0001Name: 1\r\n\r\n"),
                Arguments.of("a header line without a colon",
                        "GET /hello HTTP/1.1\r\nHost: x\r\nNoColonHere\r\n\r\n"),
                Arguments.of("bare LF line ends",
                        "GET /hello HTTP/1.1\nHost: x\n\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("smuggling")
    void isRefusedWith400AndTheConnectionClosedAndNothingForwarded(String name, String request) throws Exception {
        app.seen.clear();
        String answer;
        try (RawClient c = new RawClient(sidecar.port())) {
            answer = c.send(request).readUntilClosed();
        }
        assertThat(answer).as(name).startsWith("HTTP/1.1 400 ").containsIgnoringCase("content-type: application/problem+json")
                .containsIgnoringCase("connection: close");
        // The upstream saw nothing: no request, and certainly not the smuggled one.
        assertThat(app.seen).as(name).isEmpty();
    }

    @Test
    void aWellFormedChunkedRequestStillPasses() throws Exception {
        app.seen.clear();
        try (RawClient c = new RawClient(sidecar.port())) {
            String answer = c.send("POST /hello HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                    + "5\r\nhello\r\n0\r\n\r\n").readUntilClosed();
            assertThat(answer).startsWith("HTTP/1.1 200 ").contains("hello from the app");
        }
        assertThat(app.seen).hasSize(1);
    }
}
