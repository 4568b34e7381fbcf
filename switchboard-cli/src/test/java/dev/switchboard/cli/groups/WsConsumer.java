package dev.switchboard.cli.groups;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A consumer over {@code /v1/ws}: {@code consume} with a window ({@code max_in_flight}) and a lease,
 * then one {@code ack} (with an id) per message, logging every delivery and ack outcome in the
 * {@link History}. Fast, it acks each message as it arrives; slow, it processes one message per
 * {@code perMessage} tick. It counts client-side how many messages it holds unacknowledged (received,
 * ack not yet sent) and the most it ever held. A dropped socket makes it reconnect to the current server.
 */
final class WsConsumer {
    private final String name;
    private final Endpoint endpoint;
    private final String topic;
    private final String group;
    private final int window;
    private final String lease;
    private final History history;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ScheduledExecutorService slowTicks;
    /** Messages a slow consumer has not processed yet, with the socket they came on. */
    private final ConcurrentLinkedQueue<Held> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger unacked = new AtomicInteger();
    private final AtomicInteger maxUnacked = new AtomicInteger();
    private final AtomicInteger confirmed = new AtomicInteger();
    private final AtomicInteger ids = new AtomicInteger();
    private final CompletableFuture<Integer> abandoned = new CompletableFuture<>();
    private volatile Connection current;
    private volatile boolean stopAcking;
    private volatile boolean stopped;

    private record Held(Connection on, History.Delivery delivery) {}

    /** @param perMessage null acks at once; otherwise one message is processed and acked per tick */
    WsConsumer(String name, Endpoint endpoint, String topic, String group, int window, String lease, Duration perMessage,
            History history) {
        this.name = name;
        this.endpoint = endpoint;
        this.topic = topic;
        this.group = group;
        this.window = window;
        this.lease = lease;
        this.history = history;
        if (perMessage == null) {
            slowTicks = null;
        } else {
            slowTicks = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().factory());
            slowTicks.scheduleWithFixedDelay(this::processOne, perMessage.toMillis(), perMessage.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    WsConsumer start() {
        Thread.ofVirtual().name(name).start(this::connect);
        return this;
    }

    int window() {
        return window;
    }

    /** The most messages it held unacknowledged at once, counted client-side. */
    int maxUnacked() {
        return maxUnacked.get();
    }

    /** Deliveries it acked with an {@code acked} answer. */
    int confirmed() {
        return confirmed.get();
    }

    /** True once the server answered {@code consuming} on the current socket. */
    boolean consuming() {
        Connection c = current;
        return c != null && c.consuming;
    }

    /**
     * Stops acking; once it holds a full window unacknowledged it aborts its socket and is gone.
     * Completes with how many deliveries it held (logged as a fault in the history).
     */
    CompletableFuture<Integer> abandonWhileHolding() {
        stopAcking = true;
        return abandoned;
    }

    void stop() {
        stopped = true;
        if (slowTicks != null) {
            slowTicks.shutdownNow();
        }
        Connection c = current;
        if (c != null && c.socket != null) {
            c.socket.abort();
            c.gone();
        }
        http.shutdownNow();
    }

    private void connect() {
        while (!stopped && !abandoned.isDone()) {
            Endpoint.Current server = endpoint.current();
            Connection c = new Connection(server);
            try {
                current = c;
                c.socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                        .buildAsync(URI.create(server.url().replaceFirst("^http", "ws") + "/v1/ws"), c).get(10, TimeUnit.SECONDS);
                c.send("{\"op\":\"consume\",\"topic\":\"" + topic + "\",\"group\":\"" + group + "\",\"max_in_flight\":" + window
                        + ",\"lease\":\"" + lease + "\"}");
                return;
            } catch (Exception e) {
                try {
                    endpoint.awaitNext(server, Duration.ofSeconds(1));
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    private void processOne() {
        Held h = queue.poll();
        if (h != null && h.on() == current && !stopAcking) {
            h.on().ack(h.delivery());
        }
    }

    /** One socket: its callbacks, the acks sent on it awaiting an answer, and its send chain. */
    private final class Connection implements WebSocket.Listener {
        final Endpoint.Current server;
        final Map<String, History.Delivery> acksAwaiting = new ConcurrentHashMap<>();
        final StringBuilder text = new StringBuilder();
        volatile WebSocket socket;
        volatile boolean consuming;
        volatile boolean closed;
        private CompletableFuture<?> sending = CompletableFuture.completedFuture(null);

        Connection(Endpoint.Current server) {
            this.server = server;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                String frame = text.toString();
                text.setLength(0);
                onFrame(ws, GroupApi.json(frame));
            }
            ws.request(1);
            return null;
        }

        private void onFrame(WebSocket ws, JsonNode f) {
            if (closed || abandoned.isDone()) {
                return;
            }
            switch (f.path("type").asText()) {
                case "consuming" -> consuming = true;
                case "message" -> {
                    History.Delivery d = history.delivered(name, f.get("offset").asLong(), f.get("attempt").asInt(), f.get("data").asText());
                    int holding = unacked.incrementAndGet();
                    maxUnacked.accumulateAndGet(holding, Math::max);
                    if (stopAcking) {
                        if (holding >= window) {
                            ws.abort();
                            history.fault(name + " (WebSocket, max_in_flight " + window + ", lease " + lease + ") abandoned holding "
                                    + holding, holding);
                            abandoned.complete(holding);
                            gone();
                        }
                    } else if (slowTicks == null) {
                        ack(d);
                    } else {
                        queue.add(new Held(this, d));
                    }
                }
                case "acked" -> settled(f, History.AckOutcome.CONFIRMED);
                case "error" -> {
                    if (!settled(f, History.AckOutcome.REFUSED)) {
                        System.out.println(name + ": error frame " + f);
                    }
                }
                default -> { }
            }
        }

        private boolean settled(JsonNode f, History.AckOutcome outcome) {
            History.Delivery d = f.hasNonNull("id") ? acksAwaiting.remove(f.get("id").asText()) : null;
            if (d == null) {
                return false;
            }
            history.acked(d, outcome);
            if (outcome == History.AckOutcome.CONFIRMED) {
                confirmed.incrementAndGet();
            }
            return true;
        }

        void ack(History.Delivery d) {
            String id = name + "-" + ids.incrementAndGet();
            acksAwaiting.put(id, d);
            unacked.decrementAndGet();
            send("{\"op\":\"ack\",\"topic\":\"" + topic + "\",\"group\":\"" + group + "\",\"offsets\":[" + d.offset() + "],\"id\":\""
                    + id + "\"}");
        }

        synchronized void send(String frame) {
            sending = sending.handle((v, e) -> null).thenCompose(v -> socket.sendText(frame, true));
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            gone();
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            gone();
        }

        /** The socket died: acks without an answer are cut off; what it held comes back to the group; reconnect. */
        private synchronized void gone() {
            if (closed) {
                return;
            }
            closed = true;
            acksAwaiting.values().forEach(d -> history.acked(d, History.AckOutcome.CUT_OFF));
            acksAwaiting.clear();
            if (current == this) {
                unacked.set(0);
                if (!stopped && !abandoned.isDone()) {
                    Thread.ofVirtual().name(name + "-reconnect").start(() -> {
                        try {
                            endpoint.awaitNext(server, Duration.ofSeconds(1));
                        } catch (InterruptedException e) {
                            return;
                        }
                        connect();
                    });
                }
            }
        }
    }
}
