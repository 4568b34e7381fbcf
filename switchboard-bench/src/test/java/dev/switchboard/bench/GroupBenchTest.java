package dev.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.config.ServerConfig;
import dev.switchboard.server.SwitchboardServer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** The group load generator against a real server, briefly and slowly: it must count what it claims to. */
class GroupBenchTest {
    @TempDir
    static Path data;
    private static SwitchboardServer server;

    @BeforeAll
    static void start() throws Exception {
        server = SwitchboardServer.start(ServerConfig.defaults(0, data));
    }

    @AfterAll
    static void stop() {
        server.shutdown();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ws", "long-poll"})
    void aShortPacedRunAcknowledgesWhatItPublishedAndMeasuresEachDelivery(String via) throws Exception {
        GroupBench.Options d = GroupBench.Options.defaults(server.url());
        GroupBench.Options o = new GroupBench.Options(d.url(), via, 2, 1, 2, 1, 500, 10, 100, 50, 20, "sync", null);

        GroupBench.Result r = GroupBench.run(o);

        assertThat(r.published()).as("paced at 500/s for 2 s: never more (a loaded machine may give fewer)").isBetween(1L, 1_500L);
        assertThat(r.acked()).isGreaterThan(r.published() / 2);
        assertThat(r.latencyMicros().getTotalCount()).isGreaterThan(r.published() / 2);
        assertThat(r.redelivered()).isZero();
        assertThat(r.json()).contains("\"via\":\"" + via + "\"").contains("\"acked_per_s\":");
    }
}
