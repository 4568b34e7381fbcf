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
 * The prefetch window as flow control between competing WebSocket consumers of one group: a slow one
 * is never sent more than its {@code max_in_flight} unacknowledged, and a fast one takes the rest.
 */
class SlowConsumerWindowTest {
    private static final String TOPIC = "thumbnails";
    private static final String GROUP = "resizers";
    private static final int MESSAGES = 1000;
    private static final int SLOW_WINDOW = 5;
    private static final Duration WAIT = Duration.ofSeconds(40);

    @TempDir
    Path data;

    @Test
    void aSlowConsumerNeverHoldsMoreThanItsWindowWhileAFastOneTakesTheRest() throws Exception {
        History history = new History();
        try (ServerProcess server = ServerProcess.start(data)) {
            Endpoint endpoint = new Endpoint(server.url());
            List<Thread> publishers = new ArrayList<>();
            for (int p = 0; p < 4; p++) {
                publishers.add(new Publisher("p" + p, endpoint, TOPIC, MESSAGES / 4, history).start());
            }
            for (Thread p : publishers) {
                p.join();
            }

            // The slow one processes a message every 50ms; its lease never runs out before it acks.
            WsConsumer slow = new WsConsumer("slow", endpoint, TOPIC, GROUP, SLOW_WINDOW, "30s", Duration.ofMillis(50), history).start();
            await().atMost(WAIT).until(() -> slow.maxUnacked() == SLOW_WINDOW);
            WsConsumer fast = new WsConsumer("fast", endpoint, TOPIC, GROUP, 50, "30s", null, history).start();

            GroupApi api = new GroupApi(endpoint);
            await().atMost(WAIT).until(() -> api.state(TOPIC, GROUP).get("lag").asLong() == 0 && history.settled());
            slow.stop();
            fast.stop();

            History.Report report = history.check();
            System.out.println("slow: acked " + slow.confirmed() + ", most unacked at once " + slow.maxUnacked() + "; fast: acked "
                    + fast.confirmed());
            assertThat(slow.maxUnacked()).as("the slow consumer's unacknowledged messages, counted as they arrive")
                    .isEqualTo(SLOW_WINDOW);
            assertThat(fast.confirmed()).as("the fast consumer took the large majority").isGreaterThanOrEqualTo(MESSAGES * 8 / 10);
            assertThat(slow.confirmed() + fast.confirmed()).isEqualTo(MESSAGES);
            assertThat(report.duplicates()).isZero();
        }
    }
}
