package dev.switchboard.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The GRIP hand-over: the app answers with a hold, the sidecar keeps the client, publishes on the control port feed it. */
class GripTest extends SidecarFixture {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private HttpResponse<String> publish(String topic, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(sidecar.controlUrl() + "/v1/topics/" + topic + "/messages"))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Polls the control port until {@code topic} has a subscriber of {@code transport}. */
    private void awaitSubscriber(String topic, String transport) {
        await().atMost(Duration.ofSeconds(10)).until(() -> http.send(
                HttpRequest.newBuilder(URI.create(sidecar.controlUrl() + "/v1/topics/" + topic)).build(),
                HttpResponse.BodyHandlers.ofString()).body().contains("\"" + transport + "\":1"));
    }

    @Test
    void aStreamHoldIsAnSseStreamWithTheAppsBodyFirstThenEachPublishedMessage() throws Exception {
        try (RawClient client = new RawClient(sidecar.port())) {
            String head = client.send("GET /hold/stream/news HTTP/1.1\r\nHost: x\r\n\r\n").readUntil("data: welcome\n\n");
            assertThat(head).startsWith("HTTP/1.1 200 OK").containsIgnoringCase("content-type: text/event-stream")
                    .containsIgnoringCase("transfer-encoding: chunked").doesNotContainIgnoringCase("grip-");
            awaitSubscriber("news", "grip-stream");
            assertThat(publish("news", "first").statusCode()).isEqualTo(201);
            assertThat(publish("news", "second\nline").statusCode()).isEqualTo(201);
            assertThat(client.readUntil("id: 2\ndata: second\ndata: line\n\n")).contains("id: 1\ndata: first\n\n");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> sidecar.metrics().scrape()
                .contains("switchboard_sidecar_holds{kind=\"stream\"} 0"));
    }

    @Test
    void aResponseHoldIsAnsweredByTheNextPublishedMessage() throws Exception {
        var held = http.sendAsync(HttpRequest.newBuilder(URI.create(sidecar.url() + "/hold/response/orders")).build(),
                HttpResponse.BodyHandlers.ofString());
        awaitSubscriber("orders", "long-poll");
        assertThat(publish("orders", "order 17 shipped").statusCode()).isEqualTo(201);
        var r = held.get();
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("order 17 shipped");
        assertThat(r.headers().firstValue("switchboard-offset")).hasValue("1");
        assertThat(r.headers().map().keySet()).noneMatch(h -> h.startsWith("grip-"));
    }

    @Test
    void identicalLongPollsAreEachHeldInsteadOfWaitingForOneAnother() throws Exception {
        var held = java.util.stream.IntStream.range(0, 3).mapToObj(i -> http.sendAsync(
                HttpRequest.newBuilder(URI.create(sidecar.url() + "/hold/response/prices")).build(),
                HttpResponse.BodyHandlers.ofString())).toList();
        // Collapsed behind the first at first, the others go to the app as soon as it answers with a hold.
        await().atMost(Duration.ofSeconds(10)).until(() -> http.send(
                HttpRequest.newBuilder(URI.create(sidecar.controlUrl() + "/v1/topics/prices")).build(),
                HttpResponse.BodyHandlers.ofString()).body().contains("\"long-poll\":3"));
        assertThat(publish("prices", "42").statusCode()).isEqualTo(201);
        for (var r : held) {
            assertThat(r.get().body()).isEqualTo("42");
        }
        assertThat(app.count("/hold/response/prices")).isEqualTo(3);
    }

    @Test
    void aResponseHoldWithNoMessageBeforeItsTimeoutGetsTheAppsOwnBody() throws Exception {
        app.holdHeaders.put("Grip-Timeout", "1");
        var r = http.send(HttpRequest.newBuilder(URI.create(sidecar.url() + "/hold/response/quiet")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"messages\":[]}");
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
    }

    @Test
    void aHoldFromPrevIdGetsWhatWasPublishedSinceThatOffset() throws Exception {
        publish("feed", "one");
        publish("feed", "two");
        app.holdHeaders.put("Grip-Channel", "feed; prev-id=1");
        var r = http.send(HttpRequest.newBuilder(URI.create(sidecar.url() + "/hold/response/feed")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.body()).isEqualTo("two");
    }

    @Test
    void anInvalidHoldInstructionIsA502NamingTheMistake() throws Exception {
        app.holdHeaders.put("Grip-Channel", "_reserved");
        var r = http.send(HttpRequest.newBuilder(URI.create(sidecar.url() + "/hold/stream/x")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.body()).contains("hold instruction is invalid", "Grip-Channel");
    }

    @Test
    void heldClientsStayConnectedWhileTheAppRestarts() throws Exception {
        int appPort = app.port();
        assertThat(http.send(HttpRequest.newBuilder(URI.create(sidecar.url() + "/hello")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200); // leaves a kept-alive connection
        try (RawClient client = new RawClient(sidecar.port())) {
            client.send("GET /hold/stream/live HTTP/1.1\r\nHost: x\r\n\r\n").readUntil("data: welcome\n\n");
            awaitSubscriber("live", "grip-stream");

            app.close(); // the app goes down…
            publish("live", "while the app is down");
            assertThat(client.readUntil("data: while the app is down\n\n")).isNotEmpty();

            app = TestUpstream.startOn(appPort); // …and comes back on the same port
            // The pooled connection to the old app is dead: the sidecar notices, or retries the GET once.
            assertThat(http.send(HttpRequest.newBuilder(URI.create(sidecar.url() + "/hello")).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("hello from the app");
            publish("live", "after the restart");
            assertThat(client.readUntil("data: after the restart\n\n")).isNotEmpty();
        }
    }

    @Test
    void theControlPortListensOnLoopbackOnlyWhateverTheBind() throws Exception {
        sidecar.shutdown();
        sidecar = Sidecar.start(SidecarConfig.of(URI.create(app.url())).withBind("0.0.0.0").withPorts(0, 0));
        assertThat(sidecar.controlAddress().getAddress().isLoopbackAddress()).isTrue();
        assertThat(sidecar.publicAddress().getAddress().isAnyLocalAddress()).isTrue();
    }

    @Test
    void theControlPortServesOnlyThePublishApiAndOps() throws Exception {
        var r = http.send(HttpRequest.newBuilder(URI.create(sidecar.controlUrl() + "/v1/jobs")).POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(publish("_jobs/1", "x").statusCode()).isEqualTo(400);
    }
}
