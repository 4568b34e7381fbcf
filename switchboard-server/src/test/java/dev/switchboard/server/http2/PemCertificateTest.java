package dev.switchboard.server.http2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.config.ConfigException;
import dev.switchboard.server.TestServer;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tls-cert and tls-key: a PEM certificate chain and its PKCS#8 key, as openssl writes them. */
class PemCertificateTest {
    @TempDir
    Path dir;

    @Test
    void pemCertificateAndKeyServeHttp2OverTls() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "1",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                "-keyout", key.toString(), "-out", cert.toString());
        try (TestServer server = TestServer.start(Map.of("store", "memory", "tls-cert", cert.toString(), "tls-key", key.toString()));
             HttpClient client = Http2Clients.client(server)) {
            assertThat(server.url()).startsWith("https://");
            HttpResponse<String> health = Http2Clients.get(client, server.url() + "/healthz");
            assertThat(health.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(health.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void keyInTheOldPkcs1FormatStopsTheStartWithHowToConvertIt() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("rsa.pem");
        openssl("genrsa", "-traditional", "-out", key.toString(), "2048");
        openssl("req", "-x509", "-key", key.toString(), "-days", "1", "-subj", "/CN=localhost", "-out", cert.toString());
        assertThatThrownBy(() -> TestServer.start(Map.of("store", "memory", "tls-cert", cert.toString(), "tls-key", key.toString())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("tls-key=" + key)
                .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
    }

    private static void openssl(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0).as("openssl %s: %s", cmd, out).isTrue();
    }
}
