package dev.switchboard.cli.groups;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A consumer over plain HTTP: long-poll {@code fetch?max=N&wait=1s&lease=L}, then ack the whole batch
 * with the lease, logging every delivery and ack outcome in the {@link History}. It has its own
 * {@link HttpClient}, so abandoning it drops its connections. A dead server makes it wait for the next.
 */
final class HttpFetchConsumer implements Runnable {
    private final String name;
    private final Endpoint endpoint;
    private final String topic;
    private final String group;
    private final int max;
    private final String lease;
    private final History history;
    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicInteger confirmed = new AtomicInteger();
    private final CompletableFuture<Integer> abandoned = new CompletableFuture<>();
    private volatile boolean abandonNext;
    private volatile boolean stopped;
    private Thread thread;

    HttpFetchConsumer(String name, Endpoint endpoint, String topic, String group, int max, String lease, History history) {
        this.name = name;
        this.endpoint = endpoint;
        this.topic = topic;
        this.group = group;
        this.max = max;
        this.lease = lease;
        this.history = history;
    }

    HttpFetchConsumer start() {
        thread = Thread.ofVirtual().name(name).start(this);
        return this;
    }

    /** The most messages this consumer holds unacknowledged at once: one fetch. */
    int window() {
        return max;
    }

    /** Deliveries it acked with a confirmed answer. */
    int confirmed() {
        return confirmed.get();
    }

    /**
     * The next non-empty fetch is kept and never acked; the consumer then drops its connections and is
     * gone. Completes with how many deliveries it held (logged as a fault in the history).
     */
    CompletableFuture<Integer> abandonWhileHolding() {
        abandonNext = true;
        return abandoned;
    }

    /** Finishes the batch in hand (acked) and ends. */
    void stop() throws InterruptedException {
        stopped = true;
        thread.join();
        http.shutdownNow();
    }

    @Override
    public void run() {
        while (!stopped) {
            Endpoint.Current server = endpoint.current();
            List<History.Delivery> batch = new ArrayList<>();
            boolean ackSent = false;
            try {
                HttpResponse<String> r = http.send(post(server, "/fetch?max=" + max + "&wait=1s&lease=" + lease, null),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                    endpoint.awaitNext(server, Duration.ofSeconds(1));
                    continue;
                }
                JsonNode fetched = GroupApi.json(r.body());
                for (JsonNode m : fetched.get("messages")) {
                    batch.add(history.delivered(name, m.get("offset").asLong(), m.get("attempt").asInt(), m.get("data").asText()));
                }
                if (batch.isEmpty()) {
                    continue;
                }
                if (abandonNext) {
                    http.shutdownNow();
                    history.fault(name + " (HTTP, max " + max + ", lease " + lease + ") abandoned holding " + batch.size(), batch.size());
                    abandoned.complete(batch.size());
                    return;
                }
                ackSent = true;
                HttpResponse<String> ack = http.send(post(server, "/ack",
                        GroupApi.settleBody(fetched.get("lease").asText(), batch.stream().map(History.Delivery::offset).toList(), "")),
                        HttpResponse.BodyHandlers.ofString());
                History.AckOutcome outcome = ack.statusCode() == 200 ? History.AckOutcome.CONFIRMED : History.AckOutcome.REFUSED;
                batch.forEach(d -> history.acked(d, outcome));
                if (outcome == History.AckOutcome.CONFIRMED) {
                    confirmed.addAndGet(batch.size());
                }
            } catch (IOException e) {
                if (ackSent) {
                    batch.forEach(d -> history.acked(d, History.AckOutcome.CUT_OFF));
                }
                try {
                    endpoint.awaitNext(server, Duration.ofSeconds(1));
                } catch (InterruptedException ie) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private HttpRequest post(Endpoint.Current server, String path, String body) {
        return HttpRequest.newBuilder(URI.create(server.url() + GroupApi.groupPath(topic, group) + path))
                .header("content-type", "application/json").timeout(Duration.ofSeconds(15))
                .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build();
    }
}
