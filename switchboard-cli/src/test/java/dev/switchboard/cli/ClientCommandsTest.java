package dev.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.config.ConfigLoader;
import dev.switchboard.server.SwitchboardServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** publish, subscribe and topics run in-process, as {@code main} would run them, against a real server. */
class ClientCommandsTest {
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

    record Run(int exit, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = SwitchboardCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void publishPrintsTheOffsetItGot() {
        Run first = run("publish", "--url", server.url(), "printed", "{\"id\":1}");
        Run second = run("publish", "--url", server.url(), "--durability", "async", "printed", "hello");

        assertThat(first.exit()).isZero();
        assertThat(first.out()).isEqualTo("published to printed at offset 1" + System.lineSeparator());
        assertThat(second.out()).contains("offset 2");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sse", "ws", "long-poll", "short-poll"})
    void subscribeWithMaxPrintsThatManyMessagesAsJsonAndExits(String via) throws Exception {
        String topic = "via-" + via;
        run("publish", "--url", server.url(), topic, "{\"n\":1}");
        run("publish", "--url", server.url(), topic, "two");
        run("publish", "--url", server.url(), topic, "three");

        Run r = run("subscribe", "--url", server.url(), "--via", via, "--after", "0", "--max", "2", "--json", topic);

        assertThat(r.exit()).as(r.err()).isZero();
        String[] lines = r.out().split("\\R");
        assertThat(lines).hasSize(2);
        JsonNode first = ClientOptions.JSON.readTree(lines[0]);
        assertThat(first.path("topic").asText()).isEqualTo(topic);
        assertThat(first.path("offset").asLong()).isEqualTo(1);
        assertThat(first.path("data").path("n").asInt()).isEqualTo(1);
        assertThat(ClientOptions.JSON.readTree(lines[1]).path("data").asText()).isEqualTo("two");
    }

    @Test
    void subscribeWithoutJsonPrintsOffsetAndPayload() {
        run("publish", "--url", server.url(), "plain", "hello world");

        Run r = run("subscribe", "--url", server.url(), "--after", "0", "--max", "1", "plain");

        assertThat(r.out()).isEqualTo("1 hello world" + System.lineSeparator());
    }

    @Test
    void topicsListsWhatWasPublished() throws Exception {
        run("publish", "--url", server.url(), "listed", "x");

        Run text = run("topics", "--url", server.url());
        Run json = run("topics", "--url", server.url(), "--json");

        assertThat(text.exit()).isZero();
        assertThat(text.out()).contains("TOPIC").containsPattern("listed\\s+1\\s+1\\s+1");
        assertThat(json.out().lines().map(l -> {
            try {
                return ClientOptions.JSON.readTree(l).path("topic").asText();
            } catch (Exception e) {
                throw new AssertionError(l, e);
            }
        })).contains("listed");
    }

    @Test
    void aRefusalExitsOneWithTheProblemDetailOnStderr() {
        Run r = run("publish", "--url", server.url(), "_reserved", "x");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("400 bad-topic").contains("_reserved");
    }

    @Test
    void aPositionThatCannotBeResumedExitsOne() {
        run("publish", "--url", server.url(), "short", "x");

        Run r = run("subscribe", "--url", server.url(), "--after", "99", "--max", "1", "short");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("409 cannot-resume");
    }

    @Test
    void anUnreachableServerExitsOne() {
        Run r = run("topics", "--url", "http://127.0.0.1:1");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).startsWith("switchboard topics: ");
    }

    @Test
    void usageErrorsExitTwo() {
        assertThat(run("publish", "only-a-topic").exit()).isEqualTo(2);
        assertThat(run("subscribe", "--via", "carrier-pigeon", "--url", server.url(), "t").exit()).isEqualTo(2);
        assertThat(run("publish", "--url", server.url(), "--durability", "later", "t", "x").exit()).isEqualTo(2);
        assertThat(run("subscribe", "--max", "many", "t").exit()).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"publish", "subscribe", "topics"})
    void everyClientCommandHasHelp(String command) {
        Run r = run(command, "--help");

        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("Usage: switchboard " + command).contains("--url").contains("Exit codes:");
    }

    @Test
    void aShellCompletionScriptKnowsTheCommandsAndTheirOptions() {
        Run r = run("generate-completion");

        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("publish").contains("subscribe").contains("topics").contains("--via").contains("--max");
    }
}
