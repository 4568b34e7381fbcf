package dev.switchboard.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.config.TlsSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** TLS on the public port (the server's TLS setup): h2 by ALPN for clients that offer it, HTTP/1.1 for the rest. */
class TlsTest {
    private TestUpstream app;
    private Sidecar sidecar;

    @AfterEach
    void stop() {
        sidecar.shutdown();
        app.close();
    }

    /** A client that trusts {@code sidecar}'s self-signed certificate (and nothing else). */
    static HttpClient trusting(Sidecar sidecar, HttpClient.Version version) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("sidecar", sidecar.certificateChain().getFirst());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ssl).version(version).build();
    }

    @Test
    void clientsGetHttp2OverTlsAndTheAppPlainHttp11() throws Exception {
        app = TestUpstream.start();
        sidecar = Sidecar.start(SidecarConfig.of(URI.create(app.url())).withTls(TlsSettings.SELF_SIGNED).withPorts(0, 0));
        String url = "https://localhost:" + sidecar.port();
        var h2 = trusting(sidecar, HttpClient.Version.HTTP_2);
        var get = h2.send(HttpRequest.newBuilder(URI.create(url + "/hello")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(get.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(get.body()).isEqualTo("hello from the app");
        var post = h2.send(HttpRequest.newBuilder(URI.create(url + "/echo")).POST(HttpRequest.BodyPublishers.ofString("over h2")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(post.body()).isEqualTo("over h2");
        assertThat(app.seen.getLast().headers().getFirst("X-Forwarded-Proto")).isEqualTo("https");
        assertThat(app.seen.getLast().headers().keySet()).noneMatch(h -> h.toLowerCase().startsWith("x-http2"));

        var h1 = trusting(sidecar, HttpClient.Version.HTTP_1_1).send(HttpRequest.newBuilder(URI.create(url + "/hello")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(h1.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(h1.body()).isEqualTo("hello from the app");
    }
}
