package dev.switchboard.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * README's "The SDK in ten lines" runs: {@link #theReadmeSnippetRunsAgainstARealServer} makes its calls, line
 * for line (checks in between), and {@link #theReadmeSnippetIsTheOneThisTestRuns} keeps README and this file equal.
 */
class ReadmeSdkTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path SELF = Path.of("src/test/java/dev/switchboard/client/ReadmeSdkTest.java");
    private static final List<Message> BILLED = new CopyOnWriteArrayList<>();

    private static void bill(Message m) {
        BILLED.add(m);
    }

    private static String resize(JsonNode payload) {
        return "resized " + payload.path("src").asText();
    }

    @Test
    void theReadmeSnippetRunsAgainstARealServer() {
        try (RealServer server = RealServer.memory(); SwitchboardClient setup = SwitchboardClient.builder(server.url()).build()) {
            setup.publishText("orders", "order 1");
            // README:begin
            var client = SwitchboardClient.builder(server.url()).build();  // .bearerToken(supplier) for auth=jwt
            PublishResult r = client.publishJson("chat", "{\"text\":\"hi\"}");            // publishJsonAsync: a CompletableFuture
            Page page = client.read("chat", 0L, 100);                                      // add a Duration: a long poll
            assertThat(page.messages()).extracting(Message::offset).containsExactly(r.offset());
            Subscription s = client.subscribe("chat", SubscribeOptions.of(Transport.WEBSOCKET).after(0), // or SSE, LONG_POLL, SHORT_POLL
                    m -> System.out.println(m.offset() + " " + m.text()));                 // in order, once each, across restarts
            GroupConsumer c = client.consume("orders", "billing", ConsumeOptions.of(Transport.WEBSOCKET).maxInFlight(100),
                    m -> bill(m.message()));                                                // returns: acked; throws: nacked, redelivered
            JobWorker w = client.work("thumbnail", WorkOptions.defaults(), job -> resize(job.payload())); // keeps its lease; throws: retried
            Job done = client.submitAndWait("thumbnail", Map.of("src", "/img/1.png"), SubmitOptions.defaults(), Duration.ofSeconds(30));
            assertThat(done.resultText()).isEqualTo("resized /img/1.png");
            await().atMost(Duration.ofSeconds(20)).until(() -> s.lastOffset() == r.offset() && BILLED.size() == 1 && w.handled() == 1);
            assertThat(c.isOpen()).isTrue();
            client.close();                                                                 // also ends the subscriptions, consumers and workers it opened
            // README:end
            assertThat(BILLED).extracting(Message::text).containsExactly("order 1");
            await().atMost(Duration.ofSeconds(20)).until(() -> setup.groupState("orders", "billing").lag() == 0);
            assertThat(w.isOpen()).isFalse();
        }
    }

    @Test
    void theReadmeSnippetIsTheOneThisTestRuns() throws IOException {
        List<String> readme = code(between(Files.readString(ROOT.resolve("README.md")), "## The SDK in", "```java", "```"));
        List<String> here = code(between(Files.readString(SELF), "class ReadmeSdkTest", "// README:begin", "// README:end"))
                .stream().map(line -> line.replace("server.url()", "\"http://127.0.0.1:8080\"")).toList();

        assertThat(readme).hasSize(10);
        assertThat(here).containsSubsequence(readme);
    }

    /** The text after {@code open} that follows {@code heading}, up to {@code close}. */
    private static String between(String text, String heading, String open, String close) {
        int from = text.indexOf(open, text.indexOf(heading)) + open.length();
        return text.substring(from, text.indexOf(close, from));
    }

    /** Each line without its comment and indentation; comment-only and blank lines dropped. */
    private static List<String> code(String block) {
        List<String> lines = new ArrayList<>();
        for (String line : block.split("\n")) {
            String code = line.replaceAll("\\s+//.*$", "").strip(); // "http://" has no space before its slashes
            if (!code.isEmpty() && !code.startsWith("//")) {
                lines.add(code);
            }
        }
        return lines;
    }
}
