package dev.switchboard.cli.groups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.cli.ServerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server SIGKILLed twice and restarted on the same data directory (on another port) while
 * publishers and consumers of one group run: the clients reconnect to the new URL, and once the group
 * has drained every acknowledged publish was acked by the group, with no more duplicates than the
 * windows of the consumers connected at each kill (the bound is in {@link History}).
 */
class ServerKilledUnderLoadTest {
    private static final String TOPIC = "payments";
    private static final String GROUP = "ledger";
    private static final String[] FLAGS = {"--group-max-attempts", "100"};
    private static final Duration WAIT = Duration.ofSeconds(40);
    private static final int KILLS = 2;

    @TempDir
    Path data;

    @Test
    void everyAcknowledgedPublishIsAckedByTheGroupAcrossSigkillsOfTheServer() throws Exception {
        History history = new History();
        ServerProcess server = ServerProcess.start(data, FLAGS);
        try {
            Endpoint endpoint = new Endpoint(server.url());
            // Leases of 3s: what the consumers held at a kill comes back soon after the restart.
            List<HttpFetchConsumer> http = List.of(
                    new HttpFetchConsumer("http-1", endpoint, TOPIC, GROUP, 10, "3s", history).start(),
                    new HttpFetchConsumer("http-2", endpoint, TOPIC, GROUP, 10, "3s", history).start());
            List<WsConsumer> ws = List.of(
                    new WsConsumer("ws-1", endpoint, TOPIC, GROUP, 20, "3s", null, history).start(),
                    new WsConsumer("ws-2", endpoint, TOPIC, GROUP, 20, "3s", null, history).start());
            int windows = http.stream().mapToInt(HttpFetchConsumer::window).sum() + ws.stream().mapToInt(WsConsumer::window).sum();
            List<Thread> publishers = new ArrayList<>();
            for (int p = 0; p < 3; p++) {
                publishers.add(new Publisher("p" + p, endpoint, TOPIC, 500, history).start());
            }

            for (int kill = 1; kill <= KILLS; kill++) {
                int published = 400 * kill;
                await().atMost(WAIT).until(() -> history.publishedCount() >= published && history.deliveryCount() >= published / 2);
                server.kill();
                history.fault("SIGKILL " + kill + " after " + history.publishedCount() + " publishes, " + history.deliveryCount()
                        + " deliveries", windows);
                server = ServerProcess.start(data, FLAGS);
                endpoint.moveTo(server.url());
            }

            for (Thread p : publishers) {
                p.join();
            }
            GroupApi api = new GroupApi(endpoint);
            await().atMost(WAIT).until(() -> api.state(TOPIC, GROUP).get("lag").asLong() == 0 && history.settled());
            for (HttpFetchConsumer c : http) {
                c.stop();
            }
            ws.forEach(WsConsumer::stop);
        } finally {
            server.close();
        }

        History.Report report = history.check();
        assertThat(report.published()).as("publishes acknowledged across %d kills", KILLS).isGreaterThan(1000);
    }
}
