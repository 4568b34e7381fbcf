package dev.switchboard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** One group consumer over HTTP: long-poll fetch of up to {@code max} messages, then one ack of them all. */
final class PollGroupClient implements Runnable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final Target target;
    private final String fetch;
    private final String ack;
    private final Stats stats;
    private volatile boolean stopped;

    PollGroupClient(HttpClient http, Target target, String topic, String group, int max, Stats stats) {
        this.http = http;
        this.target = target;
        String base = "/v1/topics/" + topic + "/groups/" + group;
        this.fetch = base + "/fetch?max=" + max + "&wait=2s";
        this.ack = base + "/ack";
        this.stats = stats;
    }

    void stop() {
        stopped = true;
    }

    @Override
    public void run() {
        try {
            while (!stopped) {
                JsonNode fetched = post(fetch, null);
                JsonNode messages = fetched.path("messages");
                if (messages.isEmpty()) {
                    continue;
                }
                StringBuilder offsets = new StringBuilder();
                for (JsonNode m : messages) {
                    stats.delivered(m.path("data").path("t").asLong(), m.path("attempt").asInt());
                    offsets.append(offsets.isEmpty() ? "" : ",").append(m.path("offset").asLong());
                }
                post(ack, "{\"lease\":\"" + fetched.path("lease").asText() + "\",\"offsets\":[" + offsets + "]}");
                stats.acked.add(messages.size());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private JsonNode post(String path, String json) throws java.io.IOException, InterruptedException {
        HttpRequest.Builder b = target.request(path).timeout(Duration.ofSeconds(30));
        b = json == null ? b.POST(HttpRequest.BodyPublishers.noBody())
                : b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        stats.requests.increment();
        if (r.statusCode() != 200) {
            throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }
}
