package dev.switchboard.server.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import dev.switchboard.core.message.MessageDraft;
import dev.switchboard.core.store.AppendRequest;
import dev.switchboard.core.store.Durability;
import dev.switchboard.server.TestServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SseStreamTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("store", "memory", "sse-heartbeat", "200ms", "sse-retry", "1500ms"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void streamStartsWithRetryAndHeadersThenDeliversPublishedMessagesWithIdAndData() throws Exception {
        try (SseStream s = SseStream.open(events("first"), Map.of())) {
            assertThat(s.response.statusCode()).isEqualTo(200);
            assertThat(s.response.headers().firstValue("content-type")).hasValue("text/event-stream");
            assertThat(s.response.headers().firstValue("cache-control")).hasValue("no-cache");
            assertThat(s.response.headers().firstValue("switchboard-epoch")).hasValue(server.server().context().hub().epoch());
            await().atMost(WAIT).until(() -> s.lines().size() >= 2);
            assertThat(s.lines().subList(0, 2)).containsExactly("retry: 1500", "");

            publish("first", "application/json", "{\"n\":1}");
            publish("first", "application/json", "{\"n\":2}");

            await().atMost(WAIT).until(() -> s.events().size() == 2);
            assertThat(s.events()).containsExactly(
                    new SseEvent("1", "message", "{\"n\":1}"),
                    new SseEvent("2", "message", "{\"n\":2}"));
        }
    }

    @Test
    void idleStreamGetsACommentHeartbeatEverySseHeartbeat() throws Exception {
        try (SseStream s = SseStream.open(events("quiet"), Map.of())) {
            await().atMost(WAIT).until(() -> s.lines().stream().filter(": heartbeat"::equals).count() >= 2);
            assertThat(s.events()).isEmpty();
        }
    }

    @Test
    void jsonTextAndBinaryPayloadsAreFramedAsDataLines() throws Exception {
        try (SseStream s = SseStream.open(events("framing"), Map.of())) {
            publish("framing", "application/json", "{\"a\":[1,\n2]}");
            publish("framing", "text/plain; charset=utf-8", "line one\nline two\r\nline three");
            publish("framing", "application/octet-stream", new byte[] {0, 1, 2, (byte) 255});

            await().atMost(WAIT).until(() -> s.events().size() == 3);
            assertThat(s.events()).containsExactly(
                    new SseEvent("1", "message", "{\"a\":[1,\n2]}"),
                    new SseEvent("2", "message", "line one\nline two\nline three"),
                    new SseEvent("3", "message", "AAEC/w=="));
            assertThat(s.lines()).contains("data: line one", "data: line two", "data: line three");
        }
    }

    @Test
    void bytesTheClientSendsAfterTheRequestAreIgnoredAndTheStreamGoesOn() throws Exception {
        publish("talkative", "text/plain; charset=utf-8", "before");
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /v1/topics/talkative/events?after=0 HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            readUntil(in, "data: before\n");

            // The HTTP/1.1 request decoder is gone once the stream started: neither is read as a request.
            out.write("GET /v1/topics/talkative/messages HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nnot http at all\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            publish("talkative", "text/plain; charset=utf-8", "after");

            assertThat(readUntil(in, "data: after\n")).doesNotContain("HTTP/1.1 200", "\"messages\"");
        }
    }

    /** Reads a raw response until {@code text} has arrived; what was read, from the start. */
    private static String readUntil(InputStream in, String text) throws IOException {
        StringBuilder read = new StringBuilder();
        byte[] buf = new byte[4096];
        while (read.indexOf(text) < 0) {
            int n = in.read(buf);
            if (n < 0) {
                fail("the server closed the stream before '" + text.strip() + "'; read: " + read);
            }
            read.append(new String(buf, 0, n, StandardCharsets.UTF_8));
        }
        return read.toString();
    }

    @Test
    void reconnectWithLastEventIdGetsExactlyTheMissedMessagesEvenWhenTheUrlStillSaysAfter() throws Exception {
        String url = events("resume-id") + "?after=0";
        try (SseStream first = SseStream.open(url, Map.of())) {
            publishTexts("resume-id", 3);
            await().atMost(WAIT).until(() -> first.ids().equals(List.of(1L, 2L, 3L)));
        }
        publishTexts("resume-id", 5);

        try (SseStream again = SseStream.open(url, Map.of("last-event-id", "3"))) {
            await().atMost(WAIT).until(() -> again.ids().size() >= 5);
            publishTexts("resume-id", 1);
            await().atMost(WAIT).until(() -> again.ids().size() >= 6);
            assertThat(again.ids()).containsExactlyElementsOf(LongStream.rangeClosed(4, 9).boxed().toList());
        }
    }

    @Test
    void reconnectWithAfterGetsExactlyTheMissedMessages() throws Exception {
        publishTexts("resume-after", 3);
        publishTexts("resume-after", 4);

        try (SseStream s = SseStream.open(events("resume-after") + "?after=3", Map.of())) {
            await().atMost(WAIT).until(() -> s.ids().size() >= 4);
            assertThat(s.ids()).containsExactly(4L, 5L, 6L, 7L);
            assertThat(s.events().getFirst().data()).isEqualTo("message 1");
        }
    }

    @Test
    void streamWithoutAPositionStartsAtTheCurrentEnd() throws Exception {
        publishTexts("from-end", 2);
        try (SseStream s = SseStream.open(events("from-end"), Map.of())) {
            await().atMost(WAIT).until(() -> s.lines().size() >= 2);
            publishTexts("from-end", 1);
            await().atMost(WAIT).until(() -> !s.ids().isEmpty());
            assertThat(s.ids()).containsExactly(3L);
        }
    }

    @Test
    void afterBeyondTheLastOffsetIsRefusedWith409Problem() throws Exception {
        publishTexts("short", 2);
        HttpResponse<String> r = SseStream.refused(events("short") + "?after=7", "text/event-stream");
        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/problem+json");
        assertThat(r.body()).contains("\"code\":\"cannot-resume\"").contains("its last offset is 2");
    }

    @Test
    void malformedLastEventIdAndBadTopicAreRefusedWith400Problem() throws Exception {
        try (SseStream s = SseStream.open(events("fine"), Map.of("last-event-id", "soon"))) {
            assertThat(s.response.statusCode()).isEqualTo(400);
        }
        HttpResponse<String> badTopic = SseStream.refused(events("has%20space"), "*/*");
        assertThat(badTopic.statusCode()).isEqualTo(400);
        assertThat(badTopic.body()).contains("\"code\":\"bad-topic\"");
    }

    @Test
    void acceptOfOnlyJsonIsRefusedWith406Problem() throws Exception {
        HttpResponse<String> r = SseStream.refused(events("any"), "application/json");
        assertThat(r.statusCode()).isEqualTo(406);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/problem+json");
        assertThat(r.body()).contains("\"code\":\"not-acceptable\"");
    }

    @Test
    void curlReceivesEventsAsTheyArePublished() throws Exception {
        Process curl;
        try {
            curl = new ProcessBuilder("curl", "-sN", events("curl")).redirectErrorStream(true).start();
        } catch (IOException e) {
            fail("this test needs curl on the PATH to act as a real SSE client (apt-get install curl): " + e.getMessage());
            return;
        }
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(curl.getInputStream(), StandardCharsets.UTF_8))) {
                r.lines().forEach(lines::add);
            } catch (IOException | java.io.UncheckedIOException e) {
                // curl was stopped
            }
        });
        try {
            await().atMost(WAIT).until(() -> lines.contains("retry: 1500"));
            publish("curl", "text/plain; charset=utf-8", "hello from the server");
            await().atMost(WAIT).until(() -> lines.contains("data: hello from the server"));
            assertThat(lines).contains("id: 1");
        } finally {
            curl.destroy();
        }
    }

    private static String events(String topic) {
        return server.url() + "/v1/topics/" + topic + "/events";
    }

    private static void publishTexts(String topic, int count) {
        for (int i = 0; i < count; i++) {
            publish(topic, "text/plain; charset=utf-8", "message " + (i + 1));
        }
    }

    private static void publish(String topic, String contentType, String payload) {
        publish(topic, contentType, payload.getBytes(StandardCharsets.UTF_8));
    }

    static void publish(String topic, String contentType, byte[] payload) {
        server.server().context().hub()
                .publish(new AppendRequest(topic, List.of(MessageDraft.of(contentType, payload)), Durability.SYNC, null))
                .join();
    }
}
