package dev.switchboard.cli;

import static dev.switchboard.cli.ClientCommandsTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.cli.ClientCommandsTest.Run;
import dev.switchboard.core.config.ConfigLoader;
import dev.switchboard.server.SwitchboardServer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code switchboard bench} against a server with auth=jwt: every HTTP and WebSocket call carries {@code --token}; without it, 401. */
class BenchTokenTest {
    private static final String SECRET = "a-bench-secret-of-at-least-32-bytes!";
    private static SwitchboardServer server;
    private static String token;

    @BeforeAll
    static void start(@TempDir Path data) throws Exception {
        server = SwitchboardServer.start(ConfigLoader.load(Map.of("port", "0", "data", data.toString(), "store", "memory", "auth", "jwt",
                "jwt-secret", SECRET), Map.of()));
        token = Hs256.token(SECRET, "{\"exp\":" + (System.currentTimeMillis() / 1000 + 600)
                + ",\"switchboard\":{\"publish\":[\"bench-*\"],\"subscribe\":[\"bench-*\"],\"consume\":[\"bench-*\"]}}");
    }

    @AfterAll
    static void stop() {
        server.shutdown();
    }

    @Test
    void benchPatternsSendsTheTokenOnPollsStreamsSocketsAndPublishes(@TempDir Path out) {
        Run r = run("bench", "patterns", "--url", server.url(), "--token", token, "--subscribers", "2", "--rate", "20",
                "--patterns", "short-poll-100ms,long-poll,sse,ws", "--warmup", "0", "--seconds", "1", "--out", out.toString());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("short-poll-100ms").contains("ws");
    }

    @Test
    void benchGroupsSendsTheTokenToo() {
        Run r = run("bench", "groups", "--url", server.url(), "--token", token, "--seconds", "1", "--warmup", "0", "--rate", "100",
                "--batch", "10", "--json");

        assertThat(r.exit()).as(r.err()).isZero();
    }

    @Test
    void withoutTheTokenTheServerRefusesAndTheRunFailsWithItsAnswer(@TempDir Path out) {
        Run r = run("bench", "patterns", "--url", server.url(), "--token", "", "--subscribers", "1", "--patterns", "sse", "--warmup", "0",
                "--seconds", "1", "--out", out.toString());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("401");
    }
}
