package dev.switchboard.cli;

import static dev.switchboard.cli.ClientCommandsTest.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.cli.ClientCommandsTest.Run;
import dev.switchboard.core.config.ConfigLoader;
import dev.switchboard.server.SwitchboardServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** groups, groups reset and consume run in-process, as {@code main} would run them, against a real server. */
class GroupCommandsTest {
    static SwitchboardServer server;

    @BeforeAll
    static void start(@TempDir Path data) throws Exception {
        server = SwitchboardServer.start(ConfigLoader.load(
                Map.of("port", "0", "bind", "127.0.0.1", "data", data.toString(), "store", "memory"), Map.of()));
    }

    @AfterAll
    static void stop() {
        server.shutdown();
    }

    private static void publish(String topic, String... payloads) {
        for (String p : payloads) {
            assertThat(run("publish", "--url", server.url(), topic, p).exit()).isZero();
        }
    }

    private static JsonNode json(String line) {
        try {
            return ClientOptions.JSON.readTree(line);
        } catch (Exception e) {
            throw new AssertionError(line, e);
        }
    }

    private static JsonNode state(String topic, String group) {
        Run r = run("groups", "--url", server.url(), "--json", topic, group);
        assertThat(r.exit()).as(r.err()).isZero();
        return json(r.out().strip());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ws", "long-poll"})
    void consumePrintsAndAcknowledgesMaxMessagesAndTheNextConsumerGoesOnFromThere(String via) {
        String topic = "consume-" + via;
        publish(topic, "{\"n\":1}", "two", "three", "four");

        Run first = run("consume", "--url", server.url(), "--via", via, "--max", "3", "--json", topic, "billing");
        Run second = run("consume", "--url", server.url(), "--via", via, "--max", "1", topic, "billing");

        assertThat(first.exit()).as(first.err()).isZero();
        List<JsonNode> lines = first.out().lines().map(GroupCommandsTest::json).toList();
        assertThat(lines).extracting(l -> l.path("offset").asLong()).containsExactly(1L, 2L, 3L);
        assertThat(lines).extracting(l -> l.path("attempt").asInt()).containsOnly(1);
        assertThat(lines.getFirst().path("group").asText()).isEqualTo("billing");
        assertThat(lines.getFirst().path("data").path("n").asInt()).isEqualTo(1);
        assertThat(second.exit()).as(second.err()).isZero();
        assertThat(second.out()).isEqualTo("4 four" + System.lineSeparator());
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode state = state(topic, "billing");
            assertThat(state.path("committed").asLong()).isEqualTo(4);
            assertThat(state.path("in_flight").asLong()).isZero();
        });
    }

    @Test
    void groupsListsEachGroupWithCommittedLastLagAndInFlight() {
        publish("listed-groups", "a", "b", "c");
        run("consume", "--url", server.url(), "--via", "long-poll", "--max", "2", "listed-groups", "billing");
        run("consume", "--url", server.url(), "--max", "1", "listed-groups", "audit");

        Run table = run("groups", "--url", server.url(), "listed-groups");
        Run one = run("groups", "--url", server.url(), "listed-groups", "audit");
        Run lines = run("groups", "--url", server.url(), "--json", "listed-groups");

        assertThat(table.exit()).as(table.err()).isZero();
        assertThat(table.out()).contains("GROUP").contains("COMMITTED").contains("LAG").contains("IN_FLIGHT")
                .containsPattern("billing\\s+2\\s+3\\s+1\\s+0\\s+0\\s+\\d+ms")
                .containsPattern("audit\\s+1\\s+3\\s+2\\s+0");
        assertThat(one.out().lines()).hasSize(2).last().asString().startsWith("audit");
        assertThat(lines.out().lines().map(GroupCommandsTest::json))
                .extracting(g -> g.path("group").asText() + ":" + g.path("committed").asLong() + ":" + g.path("lag").asLong())
                .containsExactlyInAnyOrder("billing:2:1", "audit:1:2");
    }

    @Test
    void resetMovesTheGroupToAnOffsetATimeOrAnEnd() {
        publish("rewound", "a", "b", "c");
        run("consume", "--url", server.url(), "--max", "3", "rewound", "billing");

        Run offset = run("groups", "reset", "--url", server.url(), "rewound", "billing", "--offset", "1");
        Run again = run("consume", "--url", server.url(), "--max", "1", "rewound", "billing");
        Run latest = run("groups", "reset", "--url", server.url(), "--json", "rewound", "billing", "--to", "latest");
        Run time = run("groups", "reset", "--url", server.url(), "rewound", "billing", "--time", "2000-01-01T00:00:00Z");

        assertThat(offset.exit()).as(offset.err()).isZero();
        assertThat(offset.out()).containsPattern("billing\\s+1\\s+3\\s+2");
        assertThat(again.out()).isEqualTo("2 b" + System.lineSeparator());
        assertThat(json(latest.out().strip()).path("committed").asLong()).isEqualTo(3);
        assertThat(time.out()).containsPattern("billing\\s+0\\s+3\\s+3");
    }

    @Test
    void anUnknownGroupExitsOneWithTheProblemOnStderr() {
        publish("no-groups", "x");

        Run r = run("groups", "--url", server.url(), "no-groups", "stranger");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).startsWith("switchboard groups: 404 not-found");
    }

    @Test
    void aBadGroupNameEndsConsumeWithExitOne() {
        Run r = run("consume", "--url", server.url(), "--via", "long-poll", "--max", "1", "t", "bad group!");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("switchboard consume:");
    }

    @Test
    void usageErrorsExitTwo() {
        String url = server.url();
        assertThat(run("groups", "--url", url).exit()).isEqualTo(2);
        assertThat(run("groups", "reset", "--url", url, "t", "g").exit()).as("no target").isEqualTo(2);
        assertThat(run("groups", "reset", "--url", url, "t", "g", "--to", "earliest", "--offset", "1").exit()).as("two targets").isEqualTo(2);
        assertThat(run("groups", "reset", "--url", url, "t", "g", "--to", "middle").exit()).isEqualTo(2);
        assertThat(run("groups", "reset", "--url", url, "t", "g", "--time", "yesterday").exit()).isEqualTo(2);
        assertThat(run("consume", "--url", url, "--via", "sse", "t", "g").exit()).isEqualTo(2);
        assertThat(run("consume", "--url", url, "--max", "0", "t", "g").exit()).isEqualTo(2);
        assertThat(run("consume", "--url", url, "t").exit()).as("no group").isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"groups", "groups reset", "consume"})
    void everyGroupCommandHasHelp(String command) {
        String[] words = (command + " --help").split(" ");

        Run r = run(words);

        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("Usage: switchboard " + command).contains("--url").contains("Exit codes:");
    }

    @Test
    void theShellCompletionScriptKnowsTheGroupCommands() {
        Run r = run("generate-completion");

        assertThat(r.out()).contains("groups").contains("reset").contains("consume").contains("--max-in-flight").contains("--offset");
    }
}
