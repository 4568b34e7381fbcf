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
    final Map<String, String> holdHeaders = new ConcurrentHashMap<>();
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

    void release() {
        gate.countDown();
    }

    private void handle(HttpExchange x) throws IOException {
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        try {
            String path = x.getRequestURI().getPath();
            seen.add(new Seen(x.getRequestMethod(), x.getRequestURI().toString(), x.getRequestHeaders(), x.getRemoteAddress().getPort()));
            if (path.equals("/echo")) {
                x.getResponseHeaders().set("Content-Type", "application/octet-stream");
                x.sendResponseHeaders(200, 0); // chunked
                try (InputStream in = x.getRequestBody(); OutputStream out = x.getResponseBody()) {
                    in.transferTo(out);
                }
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

    private static void send(HttpExchange x, int status, String type, String body) throws IOException {
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
