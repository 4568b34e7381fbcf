package dev.switchboard.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** W3C traceparent: continued or started; one access log line per request with what an operator needs. */
class TraceAndLogTest extends SidecarFixture {
    private static final Logger ACCESS = Logger.getLogger("switchboard.access");
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Handler recorder = new Handler() {
        @Override
        public void publish(LogRecord r) {
            lines.add(r.getMessage());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };
    @BeforeEach
    void record() {
        ACCESS.addHandler(recorder);
    }

    @AfterEach
    void stopRecording() {
        ACCESS.removeHandler(recorder);
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        var b = HttpRequest.newBuilder(URI.create(sidecar.url() + path));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aClientsTraceIsContinuedWithTheSidecarsSpanAsParent() throws Exception {
        String parent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        get("/hello", "traceparent", parent, "tracestate", "rojo=00f067aa0ba902b7, congo=t61rcWkgMzE");
        var seen = app.seen.getFirst().headers();
        String sent = seen.getFirst("traceparent");
        assertThat(sent).matches("00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01").isNotEqualTo(parent);
        assertThat(seen.getFirst("tracestate")).isEqualTo("rojo=00f067aa0ba902b7, congo=t61rcWkgMzE"); // unchanged: we add no entry
    }

    @Test
    void aRequestWithoutAValidTraceStartsOne() throws Exception {
        get("/hello");
        get("/hello", "traceparent", "00-00000000000000000000000000000000-00f067aa0ba902b7-01");
        get("/hello", "traceparent", "garbage");
        assertThat(app.seen).hasSize(3).allSatisfy(s -> assertThat(s.headers().getFirst("traceparent"))
                .matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01").doesNotContain("00000000000000000000000000000000"));
        assertThat(app.seen.stream().map(s -> s.headers().getFirst("traceparent").substring(3, 35)).distinct()).hasSize(3);
    }

    @Test
    void eachRequestHasOneAccessLogLineWithTraceStatusBytesAndUpstreamTime() throws Exception {
        get("/hello?q=1", "traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        await().atMost(Duration.ofSeconds(5)).until(() -> !lines.isEmpty());
        assertThat(lines).hasSize(1);
        assertThat(lines.getFirst()).matches("GET /hello\\?q=1 status=200 bytes=18 upstream_ms=\\d+\\.\\d\\d total_ms=\\d+\\.\\d\\d "
                + "trace=4bf92f3577b34da6a3ce929d0e0e4736 client=127\\.0\\.0\\.1");
    }

    @Test
    void aFailedRequestIsLoggedWithItsStatusAndWhy() throws Exception {
        app.close();
        get("/gone");
        await().atMost(Duration.ofSeconds(5)).until(() -> !lines.isEmpty());
        assertThat(lines.getFirst()).startsWith("GET /gone status=502 ").contains("upstream_ms=- ", "note=down");
    }
}
