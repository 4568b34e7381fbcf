package dev.switchboard.server.http2;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The machine's curl, run as a real HTTP/2 client. It must have HTTP/2 (nghttp2): a curl without it fails the test. */
final class Curl {
    private Curl() {}

    record Result(int exit, String out) {}

    static Result run(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "10"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("curl finished").isTrue();
        return new Result(p.exitValue(), out);
    }

    static void requireHttp2() throws Exception {
        Result v = run("--version");
        assertThat(v.out()).as("curl must support HTTP/2 (install a curl built with nghttp2)").contains("HTTP2");
    }
}
