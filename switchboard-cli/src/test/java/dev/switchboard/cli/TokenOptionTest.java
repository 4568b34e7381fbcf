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

/** The client commands against a server with auth=jwt: {@code --token} is sent, and a refusal is exit code 1 with its reason. */
class TokenOptionTest {
    private static final String SECRET = "a-test-secret-of-at-least-32-bytes!!";
    private static SwitchboardServer server;

    @BeforeAll
    static void start(@TempDir Path data) throws Exception {
        server = SwitchboardServer.start(ConfigLoader.load(Map.of("port", "0", "data", data.toString(), "store", "memory", "auth", "jwt",
                "jwt-secret", SECRET), Map.of()));
    }

    @AfterAll
    static void stop() {
        server.shutdown();
    }

    @Test
    void publishSendsTheTokenAndIsRefusedWithoutIt() throws Exception {
        String token = Hs256.token(SECRET, "{\"exp\":" + (System.currentTimeMillis() / 1000 + 600) + ",\"switchboard\":{\"publish\":[\"secured\"]}}");

        Run granted = run("publish", "--url", server.url(), "--token", token, "secured", "{\"n\":1}");
        Run anonymous = run("publish", "--url", server.url(), "secured", "{\"n\":2}");
        Run elsewhere = run("publish", "--url", server.url(), "--token", token, "other", "{\"n\":3}");

        assertThat(granted.exit()).as(granted.err()).isZero();
        assertThat(anonymous.exit()).isEqualTo(1);
        assertThat(anonymous.err()).contains("401 unauthorized");
        assertThat(elsewhere.exit()).isEqualTo(1);
        assertThat(elsewhere.err()).contains("403 forbidden");
    }
}
