package dev.switchboard.sidecar;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The app behind the sidecar in tests: the JDK's own HTTP server on a real port, recording every
 * request it sees. Routes: {@code /hello}, {@code /echo} (streams the body back), {@code /wait}
 * (answers once {@link #release} is called), and {@code /hold/stream/{topic}}, {@code /hold/response/{topic}}
 * (GRIP instructions).
 */
final class TestUpstream implements AutoCloseable {
    record Seen(String method, String path, Headers headers, int remotePort) {}

    final List<Seen> seen = new CopyOnWriteArrayList<>();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();
    final java.util.concurrent.atomic.AtomicLong bigWritten = new java.util.concurrent.atomic.AtomicLong();
    final java.util.concurrent.atomic.AtomicLong sinkRead = new java.util.concurrent.atomic.AtomicLong();
    final Map<String, String> holdHeaders = new ConcurrentHashMap<>();
    private final Map<String, HttpHandler> routes = new ConcurrentHashMap<>();
    private volatile CountDownLatch gate = new CountDownLatch(1);
    private final HttpServer server;

    private TestUpstream(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 100);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    static TestUpstream start() throws IOException {
        return new TestUpstream(0);
    }

    /** A new app on the port of a stopped one: an app restart. */
    static TestUpstream startOn(int port) throws IOException {
        return new TestUpstream(port);
    }

    int port() {
        return server.getAddress().getPort();
    }

    String url() {
        return "http://127.0.0.1:" + port();
    }

    /** Answers {@code path} (exact, without the query) with {@code handler}; the request is recorded like any other. */
    void route(String path, HttpHandler handler) {
        routes.put(path, handler);
    }

    /** How many requests for {@code path} (without the query) the app saw. */
    long count(String path) {
        return seen.stream().filter(s -> s.path().split("\\?", 2)[0].equals(path)).count();
    }

    void release() {
        gate.countDown();
    }

    private void handle(HttpExchange x) throws IOException {
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        try {
            String path = x.getRequestURI().getPath();
            seen.add(new Seen(x.getRequestMethod(), x.getRequestURI().toString(), x.getRequestHeaders(), x.getRemoteAddress().getPort()));
            HttpHandler custom = routes.get(path);
            if (custom != null) {
                custom.handle(x);
                return;
            }
            if (path.equals("/echo")) {
                x.getResponseHeaders().set("Content-Type", "application/octet-stream");
                x.sendResponseHeaders(200, 0); // chunked
                try (InputStream in = x.getRequestBody(); OutputStream out = x.getResponseBody()) {
                    in.transferTo(out);
                }
                return;
            }
            if (path.equals("/big")) { // 128 MiB, counting what the socket took
                x.getResponseHeaders().set("Content-Type", "application/octet-stream");
                x.sendResponseHeaders(200, 128L << 20);
                byte[] chunk = new byte[64 * 1024];
                try (OutputStream out = x.getResponseBody()) {
                    for (int i = 0; i < 2048; i++) {
                        out.write(chunk);
                        bigWritten.addAndGet(chunk.length);
                    }
                }
                return;
            }
            if (path.equals("/sink")) { // reads the body slowly-by-demand: counts what arrived
                try (InputStream in = x.getRequestBody()) {
                    byte[] buf = new byte[64 * 1024];
                    for (int n; (n = in.read(buf)) >= 0; ) {
                        sinkRead.addAndGet(n);
                        if (sinkRead.get() >= (8L << 20)) {
                            gate.await(10, TimeUnit.SECONDS); // stop reading after 8 MiB until released
                        }
                    }
                }
                send(x, 200, "text/plain", Long.toString(sinkRead.get()));
                return;
            }
            if (path.equals("/wait")) {
                gate.await(10, TimeUnit.SECONDS);
                send(x, 200, "text/plain", "waited");
                return;
            }
            if (path.startsWith("/hold/stream/")) {
                x.getResponseHeaders().set("Grip-Hold", "stream");
                x.getResponseHeaders().set("Grip-Channel", path.substring("/hold/stream/".length()));
                holdHeaders.forEach((k, v) -> x.getResponseHeaders().set(k, v));
                send(x, 200, "text/event-stream", "event: hello\ndata: welcome\n\n");
                return;
            }
            if (path.startsWith("/hold/response/")) {
                x.getResponseHeaders().set("Grip-Hold", "response");
                x.getResponseHeaders().set("Grip-Channel", path.substring("/hold/response/".length()));
                holdHeaders.forEach((k, v) -> x.getResponseHeaders().set(k, v));
                send(x, 200, "application/json", "{\"messages\":[]}");
                return;
            }
            x.getRequestBody().readAllBytes();
            send(x, 200, "text/plain", "hello from the app");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            inFlight.decrementAndGet();
            x.close();
        }
    }

    static void send(HttpExchange x, int status, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", type);
        x.sendResponseHeaders(status, b.length);
        x.getResponseBody().write(b);
    }

    @Override
    public void close() {
        gate.countDown();
        server.stop(0);
    }
}
