package dev.switchboard.server.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.core.message.MessageDraft;
import dev.switchboard.core.store.AppendRequest;
import dev.switchboard.core.store.Durability;
import dev.switchboard.server.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class SseSlowConsumerAndShutdownTest {
    private static final String TRANSPORT = "sse";
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void clientThatStopsReadingIsClosedAsSlowConsumerAndResumesFromItsLastIdWithoutAGap() throws Exception {
        try (TestServer server = TestServer.start(Map.of("store", "memory", "session-budget", "256KiB"));
             RawSseClient stuck = new RawSseClient()) {
            stuck.connect(server.port(), "/v1/topics/firehose/events?after=0");
            await().atMost(WAIT).until(() -> server.server().context().hub().info("firehose")
                    .handle((info, e) -> e == null && info.subscribers().getOrDefault("sse", 0) == 1).join());

            byte[] payload = new byte[8 * 1024];
            Arrays.fill(payload, (byte) 'x');
            long published = 0;
            while (slowConsumerCloses(server) == 0 && published < 4_000) {
                publish(server, "firehose", payload, 8);
                published += 8;
                long sent = published;
                // A steady publisher: the next batch once the last one reached the socket's queue.
                await().atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2))
                        .until(() -> counter(server, "switchboard_deliveries_total") >= sent || slowConsumerCloses(server) > 0);
            }
            assertThat(slowConsumerCloses(server)).as("slow-consumer closes after %d messages", published).isEqualTo(1.0);

            List<String> seen = stuck.readToEnd();
            assertThat(String.join("\n", seen)).contains("event: close\ndata: {\"reason\":\"slow consumer\"}");
            List<Long> ids = ids(seen);
            assertThat(ids).isNotEmpty();
            long last = ids.getLast();
            assertThat(last).isLessThan(published);

            try (SseStream resumed = SseStream.open(server.url() + "/v1/topics/firehose/events?after=0",
                    Map.of("last-event-id", Long.toString(last)))) {
                long expected = published - last;
                await().atMost(WAIT).until(() -> resumed.ids().size() >= expected);
                assertThat(resumed.ids()).containsExactlyElementsOf(LongStream.rangeClosed(last + 1, published).boxed().toList());
                assertThat(resumed.events()).noneMatch(e -> e.event().equals("gap"));
            }
        }
    }

    @Test
    void shutdownSendsACloseEventWithTheReasonThenEndsTheStream() throws Exception {
        TestServer server = TestServer.start(Map.of("store", "memory"));
        try (SseStream s = SseStream.open(server.url() + "/v1/topics/closing/events", Map.of())) {
            await().atMost(WAIT).until(() -> s.lines().size() >= 2);
            server.server().shutdown();
            await().atMost(WAIT).until(s::ended);
            assertThat(s.events()).contains(new SseEvent(null, "close", "{\"reason\":\"server shutting down\"}"));
        } finally {
            server.close();
        }
    }

    private static List<Long> ids(List<String> lines) {
        List<Long> ids = new ArrayList<>();
        for (SseEvent e : SseEvent.parse(lines)) {
            if (e.id() != null) {
                ids.add(Long.parseLong(e.id()));
            }
        }
        return ids;
    }

    private static double slowConsumerCloses(TestServer server) {
        return counter(server, "switchboard_slow_consumer_closes_total");
    }

    /** A counter of this transport from /metrics, as the server renders it. */
    private static double counter(TestServer server, String name) {
        Matcher m = Pattern.compile(name + "\\{transport=\"%s\"[^}]*} ([0-9.E]+)".formatted(TRANSPORT))
                .matcher(server.server().context().metrics().scrape());
        if (!m.find()) {
            throw new AssertionError(name + " for " + TRANSPORT + " is missing from /metrics");
        }
        return Double.parseDouble(m.group(1));
    }

    private static void publish(TestServer server, String topic, byte[] payload, int count) {
        List<MessageDraft> drafts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            drafts.add(MessageDraft.of("text/plain; charset=utf-8", payload));
        }
        server.server().context().hub().publish(new AppendRequest(topic, drafts, Durability.ASYNC, null)).join();
    }
}
