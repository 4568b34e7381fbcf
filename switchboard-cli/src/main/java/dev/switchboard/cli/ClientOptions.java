package dev.switchboard.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.client.SwitchboardClientException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Option;

/**
 * What every client command shares: {@code --url}, {@code --token} (or {@code SWITCHBOARD_TOKEN}: a
 * token on the command line is visible to other users of the machine), and the exit code 1 with the
 * server's detail on stderr.
 */
final class ClientOptions {
    /** For the {@code --json} outputs; strict about trailing text so "42 abc" is not taken for JSON. */
    static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    @Option(names = "--url", paramLabel = "URL", defaultValue = "http://127.0.0.1:8080",
            description = "server to talk to (default: ${DEFAULT-VALUE})")
    String url;

    @Option(names = "--token", paramLabel = "JWT", defaultValue = "${env:SWITCHBOARD_TOKEN}",
            description = "bearer token for a server with auth=jwt (default: $SWITCHBOARD_TOKEN; see docs/security.md)")
    String token;

    SwitchboardClient client() {
        SwitchboardClient.Builder b = SwitchboardClient.builder(url);
        if (token != null && !token.isBlank()) {
            String t = token.strip();
            b.bearerToken(() -> t);
        }
        return b.build();
    }

    /** Runs {@code body}; a refusal or an unreachable server is exit code 1 and one line on stderr. */
    static int run(String command, PrintWriter err, Callable<Integer> body) throws Exception {
        try {
            return body.call();
        } catch (SwitchboardClientException e) {
            err.println("switchboard " + command + ": " + (e.status() == 0 ? "" : e.status() + " " + e.code() + ": ") + e.detail());
            err.flush();
            return 1;
        } catch (IllegalArgumentException e) {
            err.println("switchboard " + command + ": " + e.getMessage());
            err.flush();
            return 2;
        }
    }
}
