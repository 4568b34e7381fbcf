package dev.switchboard.cli.groups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.cli.ServerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Competing consumers of one group, over HTTP and WebSocket, some of which die while holding leased
 * messages: the group redelivers what they held to the survivors, loses nothing, and duplicates only
 * what the dead held (the bound is in {@link History}).
 */
class ConsumersAbandonedMidLeaseTest {
    private static final String TOPIC = "orders";
    private static final String GROUP = "billing";
    private static final Duration DRAIN = Duration.ofSeconds(40);

    @TempDir
    Path data;

    @Test
    void messagesHeldByAbandonedConsumersGoToTheSurvivorsAndNoneIsLost() throws Exception {
        History history = new History();
        try (ServerProcess server = ServerProcess.start(data, "--group-max-attempts", "100")) {
            Endpoint endpoint = new Endpoint(server.url());
            // Survivors ack everything, with leases long enough never to run out under load.
            List<HttpFetchConsumer> httpSurvivors = List.of(
                    new HttpFetchConsumer("http-1", endpoint, TOPIC, GROUP, 10, "30s", history).start(),
                    new HttpFetchConsumer("http-2", endpoint, TOPIC, GROUP, 10, "30s", history).start());
            List<WsConsumer> wsSurvivors = List.of(
                    new WsConsumer("ws-1", endpoint, TOPIC, GROUP, 20, "30s", null, history).start(),
                    new WsConsumer("ws-2", endpoint, TOPIC, GROUP, 20, "30s", null, history).start());
            // Victims take short leases, so that what they hold when they die comes back within a second.
            List<HttpFetchConsumer> httpVictims = List.of(
                    new HttpFetchConsumer("http-victim-1", endpoint, TOPIC, GROUP, 10, "1s", history).start(),
                    new HttpFetchConsumer("http-victim-2", endpoint, TOPIC, GROUP, 10, "1s", history).start());
            List<WsConsumer> wsVictims = List.of(
                    new WsConsumer("ws-victim-1", endpoint, TOPIC, GROUP, 10, "1s", null, history).start(),
                    new WsConsumer("ws-victim-2", endpoint, TOPIC, GROUP, 10, "1s", null, history).start());
            List<Thread> publishers = new ArrayList<>();
            for (int p = 0; p < 4; p++) {
                publishers.add(new Publisher("p" + p, endpoint, TOPIC, 400, history).start());
            }

            // Mid-stream, the victims stop acking and drop their connections while holding messages.
            await().atMost(DRAIN).until(() -> history.deliveryCount() >= 200);
            List<CompletableFuture<Integer>> held = new ArrayList<>();
            httpVictims.forEach(v -> held.add(v.abandonWhileHolding()));
            wsVictims.forEach(v -> held.add(v.abandonWhileHolding()));
            await().atMost(DRAIN).until(() -> held.stream().allMatch(CompletableFuture::isDone));
            for (int i = 0; i < held.size(); i++) {
                assertThat(held.get(i).get()).as("victim %d held at most its window", i).isBetween(1, 10);
            }

            for (Thread p : publishers) {
                p.join();
            }
            GroupApi api = new GroupApi(endpoint);
            await().atMost(DRAIN).until(() -> api.state(TOPIC, GROUP).get("lag").asLong() == 0 && history.settled());
            for (HttpFetchConsumer c : httpSurvivors) {
                c.stop();
            }
            wsSurvivors.forEach(WsConsumer::stop);
            wsVictims.forEach(WsConsumer::stop);
            for (HttpFetchConsumer c : httpVictims) {
                c.stop();
            }
        }

        History.Report report = history.check();
        assertThat(report.published()).isEqualTo(1600);
        assertThat(report.duplicates()).as("what the victims held came back").isPositive();
    }
}
