package dev.switchboard.server.sse;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** A real SSE client on the JDK HttpClient: records every line it reads, parses them into events. */
final class SseStream implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    final HttpResponse<InputStream> response;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private volatile boolean ended;

    private SseStream(HttpResponse<InputStream> response) {
        this.response = response;
        Thread.ofVirtual().name("sse-test-reader").start(this::read);
    }

    static SseStream open(String url, Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).header("accept", "text/event-stream");
        headers.forEach(b::header);
        return new SseStream(HTTP.send(b.build(), HttpResponse.BodyHandlers.ofInputStream()));
    }

    /** A plain request to an SSE URL that is expected to be refused: the whole body as text. */
    static HttpResponse<String> refused(String url, String accept) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).header("accept", accept).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private void read() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException e) {
            // the stream was closed by us or by the server: what was read is what counts
        } finally {
            ended = true;
        }
    }

    List<String> lines() {
        return List.copyOf(lines);
    }

    boolean ended() {
        return ended;
    }

    List<SseEvent> events() {
        return SseEvent.parse(lines());
    }

    /** The offsets of the message events received so far. */
    List<Long> ids() {
        List<Long> ids = new ArrayList<>();
        for (SseEvent e : events()) {
            if (e.id() != null) {
                ids.add(Long.parseLong(e.id()));
            }
        }
        return ids;
    }

    @Override
    public void close() throws IOException {
        response.body().close();
    }
}
