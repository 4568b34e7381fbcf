package dev.switchboard.cli.groups;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Publishes {@code count} text messages {@code "<name>-<n>"} one POST at a time, logging each attempt
 * and each acknowledged offset in the {@link History}. A publish cut off by a dead server is not
 * retried (its payload may or may not be stored); the next one waits for the next server.
 */
final class Publisher implements Runnable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final Endpoint endpoint;
    private final String topic;
    private final int count;
    private final History history;
    private final HttpClient http = HttpClient.newHttpClient();

    Publisher(String name, Endpoint endpoint, String topic, int count, History history) {
        this.name = name;
        this.endpoint = endpoint;
        this.topic = topic;
        this.count = count;
        this.history = history;
    }

    /** Starts on a virtual thread; join it to wait for the last publish. */
    Thread start() {
        return Thread.ofVirtual().name(name).start(this);
    }

    @Override
    public void run() {
        try (http) {
            for (int n = 0; n < count; n++) {
                publishOnce(name + "-" + n);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void publishOnce(String payload) throws InterruptedException {
        Endpoint.Current server = endpoint.current();
        history.publishing(payload);
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/v1/topics/" + topic + "/messages"))
                    .header("content-type", "text/plain").timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.ofString(payload)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 == 2) {
                history.published(JSON.readTree(r.body()).get("offset").asLong(), payload);
                return;
            }
        } catch (java.io.IOException e) {
            // cut off: maybe stored
        }
        endpoint.awaitNext(server, Duration.ofSeconds(1));
    }
}
