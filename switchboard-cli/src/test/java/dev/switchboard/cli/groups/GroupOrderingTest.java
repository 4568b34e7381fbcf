package dev.switchboard.cli.groups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.cli.ServerProcess;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The order in which one consumer of a group sees the log, as observed:
 * <ul>
 *   <li>each lease (a fetch answer, or what a WebSocket consumer is sent to fill its window) takes the
 *       messages due again first (nacked with no delay, or whose lease ran out), then fresh ones in log
 *       order, and hands them out sorted by offset;
 *   <li>so a lone consumer with no failures receives strictly increasing offsets, each exactly once;
 *   <li>a nacked message comes back (with its next attempt) before any offset the consumer has not seen
 *       yet: the redelivery is the lowest offset of the next lease. It does not come back before messages
 *       already delivered after it, which the consumer may ack first: this is not a per-key order.
 * </ul>
 */
class GroupOrderingTest {
    private static final String GROUP = "auditors";
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path data;

    @Test
    void aLoneHttpConsumerGetsOffsetsInOrderAndANackedMessageBeforeAnyItHasNotSeen() throws Exception {
        String topic = "audit-http";
        History history = new History();
        try (ServerProcess server = ServerProcess.start(data)) {
            GroupApi api = new GroupApi(new Endpoint(server.url()));
            publish(api, topic, 30, history);

            List<Long> seen = new ArrayList<>();
            while (seen.size() < 30) {
                Batch batch = fetch(api, topic, 7, history);
                seen.addAll(batch.offsets());
                settle(api, topic, "ack", batch, batch.offsets(), history);
            }
            assertThat(seen).as("no failures: strictly increasing, none skipped").containsExactlyElementsOf(range(1, 30));

            publish(api, topic, 10, history);
            Batch held = fetch(api, topic, 4, history);
            assertThat(held.offsets()).containsExactly(31L, 32L, 33L, 34L);
            settle(api, topic, "nack", held, List.of(32L), history);
            history.fault("nack of offset 32", 1);
            settle(api, topic, "ack", held, List.of(31L, 33L, 34L), history);

            Batch next = fetch(api, topic, 4, history);
            assertThat(next.offsets()).as("the nacked offset first, then the unseen ones in order").containsExactly(32L, 35L, 36L, 37L);
            assertThat(next.deliveries().getFirst().attempt()).isEqualTo(2);
            settle(api, topic, "ack", next, next.offsets(), history);
            Batch rest = fetch(api, topic, 10, history);
            assertThat(rest.offsets()).containsExactly(38L, 39L, 40L);
            settle(api, topic, "ack", rest, rest.offsets(), history);
            assertThat(api.state(topic, GROUP).get("lag").asLong()).isZero();
        }
        history.check();
    }

    @Test
    void aLoneWebSocketConsumerGetsOffsetsInOrderAndANackedMessageBeforeAnyItHasNotSeen() throws Exception {
        String topic = "audit-ws";
        History history = new History();
        try (ServerProcess server = ServerProcess.start(data)) {
            GroupApi api = new GroupApi(new Endpoint(server.url()));
            publish(api, topic, 6, history);
            try (WsRecorder ws = new WsRecorder(server.url())) {
                ws.send("{\"op\":\"consume\",\"topic\":\"" + topic + "\",\"group\":\"" + GROUP + "\",\"max_in_flight\":2,\"lease\":\"30s\"}");
                awaitMessages(ws, 2);
                wsSettle(ws, topic, "ack", 1);
                awaitMessages(ws, 3);

                wsSettle(ws, topic, "nack", 2);
                history.fault("nack of offset 2", 1);
                awaitMessages(ws, 4);
                wsSettle(ws, topic, "ack", 3);
                awaitMessages(ws, 5);
                wsSettle(ws, topic, "ack", 2);
                awaitMessages(ws, 6);
                wsSettle(ws, topic, "ack", 4);
                awaitMessages(ws, 7);
                wsSettle(ws, topic, "ack", 5);
                wsSettle(ws, topic, "ack", 6);
                await().atMost(WAIT).until(() -> ws.ofType("acked").size() == 6);
                assertThat(ws.ofType("error")).isEmpty();

                assertThat(ws.messages()).extracting(m -> m.get("offset").asLong() + "#" + m.get("attempt").asInt())
                        .as("fresh offsets in order; the nacked 2 comes back before the unseen 4")
                        .containsExactly("1#1", "2#1", "3#1", "2#2", "4#1", "5#1", "6#1");
                // Into the history: each ack settled the latest delivery of its offset (for 2, the redelivery).
                Map<Long, History.Delivery> latest = new HashMap<>();
                ws.messages().forEach(m -> latest.put(m.get("offset").asLong(), history.delivered("ws", m.get("offset").asLong(),
                        m.get("attempt").asInt(), m.get("data").asText())));
                ws.ofType("acked").forEach(a -> history.acked(latest.get(Long.parseLong(a.get("id").asText().substring("ack-".length()))),
                        History.AckOutcome.CONFIRMED));
            }
            assertThat(api.state(topic, GROUP).get("lag").asLong()).isZero();
        }
        history.check();
    }

    /** One fetch answer: its lease and what it delivered. */
    private record Batch(String lease, List<History.Delivery> deliveries) {
        List<Long> offsets() {
            return deliveries.stream().map(History.Delivery::offset).toList();
        }
    }

    private static void publish(GroupApi api, String topic, int count, History history) {
        for (int i = 0; i < count; i++) {
            String payload = topic + "-" + i;
            history.publishing(payload);
            history.published(api.publish(topic, payload), payload);
        }
    }

    private static Batch fetch(GroupApi api, String topic, int max, History history) {
        HttpResponse<String> r = api.post(GroupApi.groupPath(topic, GROUP) + "/fetch?max=" + max + "&lease=30s", null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode fetched = GroupApi.json(r.body());
        List<History.Delivery> deliveries = new ArrayList<>();
        fetched.get("messages").forEach(m -> deliveries.add(history.delivered("http", m.get("offset").asLong(), m.get("attempt").asInt(),
                m.get("data").asText())));
        return new Batch(fetched.get("lease").asText(), deliveries);
    }

    private static void settle(GroupApi api, String topic, String op, Batch batch, List<Long> offsets, History history) {
        String extra = op.equals("nack") ? ",\"delay\":\"0s\"" : "";
        HttpResponse<String> r = api.post(GroupApi.groupPath(topic, GROUP) + "/" + op, GroupApi.settleBody(batch.lease(), offsets, extra));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        if (op.equals("ack")) {
            batch.deliveries().stream().filter(d -> offsets.contains(d.offset())).forEach(d -> history.acked(d, History.AckOutcome.CONFIRMED));
        }
    }

    private static List<Long> range(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }

    private static void awaitMessages(WsRecorder ws, int count) {
        await().atMost(WAIT).until(() -> ws.messages().size() >= count);
        assertThat(ws.messages()).as("no more than asked for yet").hasSize(count);
    }

    private static void wsSettle(WsRecorder ws, String topic, String op, long offset) {
        String extra = op.equals("nack") ? ",\"delay\":\"0s\"" : "";
        ws.send("{\"op\":\"" + op + "\",\"topic\":\"" + topic + "\",\"group\":\"" + GROUP + "\",\"offsets\":[" + offset + "],\"id\":\""
                + op + "-" + offset + "\"" + extra + "}");
    }
}
