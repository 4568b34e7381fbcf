package dev.switchboard.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Cleartext HTTP/2 on the public port: by Upgrade (the JDK's client) and by prior knowledge (curl). */
class H2cTest extends SidecarFixture {
    @Test
    void theJdkClientUpgradesToH2cAndKeepsUsingIt() throws Exception {
        HttpClient h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        var first = h2.send(HttpRequest.newBuilder(URI.create(sidecar.url() + "/hello")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(first.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(first.body()).isEqualTo("hello from the app");
        var post = h2.send(HttpRequest.newBuilder(URI.create(sidecar.url() + "/echo")).POST(HttpRequest.BodyPublishers.ofString("over h2c")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(post.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(post.body()).isEqualTo("over h2c");
        assertThat(app.seen.getLast().headers().getFirst("X-Forwarded-Proto")).isEqualTo("http");
        assertThat(app.seen.getFirst().headers().keySet()).noneMatch(h -> h.equalsIgnoreCase("upgrade") || h.equalsIgnoreCase("http2-settings"));
    }

    @Test
    void curlSpeaksH2cWithPriorKnowledge() throws Exception {
        Process curl = new ProcessBuilder("curl", "-sS", "-i", "--max-time", "10", "--http2-prior-knowledge", sidecar.url() + "/hello")
                .redirectErrorStream(true).start();
        String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(curl.waitFor(15, TimeUnit.SECONDS)).isTrue();
        assertThat(out).startsWith("HTTP/2 200").endsWith("hello from the app");
    }

    @Test
    void http11StillWorksOnTheSamePort() throws Exception {
        var r = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(HttpRequest.newBuilder(URI.create(sidecar.url() + "/hello")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(r.body()).isEqualTo("hello from the app");
    }
}
