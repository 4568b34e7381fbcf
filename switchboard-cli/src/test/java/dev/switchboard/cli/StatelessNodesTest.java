package dev.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three server processes on one PostgreSQL, as behind a load balancer without sticky sessions: a
 * message published on one node reaches SSE, WebSocket and long-poll subscribers on the others; SSE
 * and WebSocket clients whose node is SIGKILLed mid-stream resume on another node from their last
 * offset and get every message exactly once, in order;
 * a consumer group and a job queue are shared by all nodes with no message or job handed out twice.
 */
class StatelessNodesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String POSTGRES = "postgresql://postgres@127.0.0.1:5432/test";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path data;

    private ServerProcess node(String name) throws Exception {
        return ServerProcess.start(data.resolve(name), "--store", "postgres", "--postgres-url", POSTGRES);
    }

    @Test
    void messagesCrossNodesAndClientsMoveToAnotherNodeWhenTheirNodeDiesMidStream() throws Exception {
        String topic = "nodes-" + UUID.randomUUID();
        try (ServerProcess a = node("a"); ServerProcess b = node("b"); ServerProcess c = node("c")) {
            List<Long> sse = new CopyOnWriteArrayList<>();
            List<Long> ws = new CopyOnWriteArrayList<>();
            Thread sseReader = Thread.ofVirtual().start(() -> readSse(b.url(), topic, null, sse, Integer.MAX_VALUE));
            WebSocket socket = subscribeWs(b.url(), topic, 0, ws);
            await().atMost(Duration.ofSeconds(20)).until(() -> subscribers(a.url(), b.url(), c.url(), topic) == 2);
            var poll = HTTP.sendAsync(get(c.url() + "/v1/topics/" + topic + "/messages?after=0&wait=20s"), HttpResponse.BodyHandlers.ofString());
            AtomicInteger published = new AtomicInteger();
            Thread publisher = Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 1; i <= 400; i++) {
                        publish(a.url(), topic, i);
                        published.set(i);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            JsonNode polled = JSON.readTree(poll.get(20, TimeUnit.SECONDS).body());
            assertThat(polled.get("messages").get(0).get("offset").asLong()).as("long poll on node C").isEqualTo(1);

            await().atMost(Duration.ofSeconds(20)).until(() -> sse.size() >= 50 && ws.size() >= 50);
            b.kill(); // mid-stream: node A keeps publishing
            sseReader.join(10_000);
            socket.abort();
            long sseLast = sse.getLast();
            long wsLast = ws.getLast();
            List<Long> sseOnC = new CopyOnWriteArrayList<>();
            List<Long> wsOnC = new CopyOnWriteArrayList<>();
            // The load balancer sends the reconnects to node C, each with the last offset its client got.
            Thread sseAgain = Thread.ofVirtual().start(() -> readSse(c.url(), topic, Long.toString(sseLast), sseOnC, (int) (400 - sseLast)));
            WebSocket socketAgain = subscribeWs(c.url(), topic, wsLast, wsOnC);
            publisher.join(60_000);
            assertThat(published.get()).isEqualTo(400);
            sseAgain.join(30_000);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(wsOnC).hasSize((int) (400 - wsLast)));
            socketAgain.abort();

            List<Long> sseAll = new ArrayList<>(sse);
            sseAll.addAll(sseOnC);
            List<Long> wsAll = new ArrayList<>(ws);
            wsAll.addAll(wsOnC);
            assertThat(sseAll).as("SSE across nodes B then C: every message once, in order").containsExactlyElementsOf(range(1, 400));
            assertThat(wsAll).as("WebSocket across nodes B then C: every message once, in order").containsExactlyElementsOf(range(1, 400));
        }
    }

    @Test
    void aGroupAndAJobQueueSharedByNodesHandEachMessageAndJobToOneTakerOnly() throws Exception {
        String topic = "nodes-group-" + UUID.randomUUID();
        String type = "nodes-" + UUID.randomUUID().toString().substring(0, 8);
        try (ServerProcess a = node("a"); ServerProcess b = node("b")) {
            for (int i = 1; i <= 200; i++) {
                publish(a.url(), topic, i);
            }
            List<String> jobIds = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                jobIds.add(JSON.readTree(post(b.url() + "/v1/jobs", "{\"type\":\"" + type + "\"}").body()).get("id").asText());
            }
            Map<Long, AtomicInteger> leased = new ConcurrentHashMap<>();
            Map<String, AtomicInteger> claimed = new ConcurrentHashMap<>();
            List<Thread> takers = new ArrayList<>();
            for (ServerProcess node : List.of(a, b, a, b)) {
                takers.add(Thread.ofVirtual().start(() -> consume(node.url(), topic, leased)));
                takers.add(Thread.ofVirtual().start(() -> work(node.url(), type, claimed)));
            }
            for (Thread t : takers) {
                t.join(60_000);
            }

            assertThat(leased.keySet()).containsExactlyInAnyOrderElementsOf(range(1, 200));
            assertThat(leased.values()).as("no message leased twice").allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
            assertThat(claimed.keySet()).containsExactlyInAnyOrderElementsOf(jobIds);
            assertThat(claimed.values()).as("no job claimed twice").allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
            JsonNode group = JSON.readTree(HTTP.send(get(a.url() + "/v1/topics/" + topic + "/groups/shared"),
                    HttpResponse.BodyHandlers.ofString()).body());
            assertThat(group.get("committed").asLong()).isEqualTo(200);
        }
    }

    /** Fetches and acks until a fetch comes back empty. */
    private static void consume(String url, String topic, Map<Long, AtomicInteger> leased) {
        try {
            while (true) {
                JsonNode f = JSON.readTree(post(url + "/v1/topics/" + topic + "/groups/shared/fetch?max=7&wait=1s", null).body());
                if (f.get("messages").isEmpty()) {
                    return;
                }
                List<String> offsets = new ArrayList<>();
                for (JsonNode m : f.get("messages")) {
                    leased.computeIfAbsent(m.get("offset").asLong(), k -> new AtomicInteger()).incrementAndGet();
                    offsets.add(m.get("offset").asText());
                }
                HttpResponse<String> ack = post(url + "/v1/topics/" + topic + "/groups/shared/ack",
                        "{\"lease\":\"" + f.get("lease").asText() + "\",\"offsets\":[" + String.join(",", offsets) + "]}");
                assertThat(ack.statusCode()).as(ack.body()).isEqualTo(200);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Claims and completes until a claim comes back empty. */
    private static void work(String url, String type, Map<String, AtomicInteger> claimed) {
        try {
            while (true) {
                HttpResponse<String> r = post(url + "/v1/workers/claim?type=" + type + "&wait=1s", null);
                if (r.statusCode() == 204) {
                    return;
                }
                JsonNode c = JSON.readTree(r.body());
                String id = c.get("job").get("id").asText();
                claimed.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                HttpResponse<String> done = post(url + "/v1/jobs/" + id + "/complete", "{\"lease\":\"" + c.get("lease").asText() + "\"}");
                assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void readSse(String url, String topic, String lastEventId, List<Long> into, int count) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + "/v1/topics/" + topic + "/events" + (lastEventId == null ? "?after=0" : "")));
        if (lastEventId != null) {
            b.header("Last-Event-ID", lastEventId);
        }
        try {
            HttpResponse<InputStream> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                for (String line; into.size() < count && (line = in.readLine()) != null; ) {
                    if (line.startsWith("id: ")) {
                        into.add(Long.parseLong(line.substring(4).trim()));
                    }
                }
            }
        } catch (java.io.IOException e) {
            // the node died under the stream: what was read is in the list
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static WebSocket subscribeWs(String url, String topic, long after, List<Long> into) throws Exception {
        WebSocket ws = HTTP.newWebSocketBuilder().buildAsync(URI.create(url.replace("http", "ws") + "/v1/ws"), new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket w, CharSequence text, boolean last) {
                partial.append(text); // a frame may come in parts
                if (last) {
                    try {
                        JsonNode f = JSON.readTree(partial.toString());
                        if (f.path("type").asText().equals("message")) {
                            into.add(f.get("offset").asLong());
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    partial.setLength(0);
                }
                w.request(1);
                return null;
            }
        }).get(10, TimeUnit.SECONDS);
        ws.sendText("{\"op\":\"subscribe\",\"topic\":\"" + topic + "\",\"after\":" + after + "}", true);
        return ws;
    }

    /** Live subscribers across the nodes, as each reports them for its own connections. */
    private static int subscribers(String a, String b, String c, String topic) throws Exception {
        int n = 0;
        for (String url : List.of(a, b, c)) {
            HttpResponse<String> r = HTTP.send(get(url + "/v1/topics/" + topic), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                JsonNode subs = JSON.readTree(r.body()).get("subscribers");
                n += subs.get("sse").asInt() + subs.get("ws").asInt();
            }
        }
        return n;
    }

    private static void publish(String url, String topic, int n) throws Exception {
        HttpResponse<String> r = post(url + "/v1/topics/" + topic + "/messages", "{\"n\":" + n + "}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }

    private static HttpResponse<String> post(String url, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        b = json == null ? b.POST(HttpRequest.BodyPublishers.noBody())
                : b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest get(String url) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build();
    }

    private static List<Long> range(long from, long to) {
        List<Long> r = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            r.add(i);
        }
        return r;
    }
}
