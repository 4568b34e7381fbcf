package dev.switchboard.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.config.ConfigException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Forwarding headers: a client's claims are replaced, a trusted proxy's chain is extended. */
class ForwardedTest {
    private static final String CLAIMS = "GET /hello HTTP/1.1\r\nHost: example.test\r\nConnection: close\r\n"
            + "X-Forwarded-For: 203.0.113.7\r\nForwarded: for=203.0.113.7;proto=https\r\n"
            + "X-Forwarded-Proto: https\r\nX-Forwarded-Host: shop.example\r\n\r\n";
    private TestUpstream app;
    private Sidecar sidecar;

    private void start(TrustedProxies trusted) throws Exception {
        app = TestUpstream.start();
        sidecar = Sidecar.start(SidecarConfig.of(URI.create(app.url())).withTrustedProxies(trusted).withPorts(0, 0));
    }

    @AfterEach
    void stop() {
        if (sidecar != null) {
            sidecar.shutdown();
            app.close();
        }
    }

    private com.sun.net.httpserver.Headers send() throws Exception {
        try (RawClient c = new RawClient(sidecar.port())) {
            assertThat(c.send(CLAIMS).readUntilClosed()).startsWith("HTTP/1.1 200");
        }
        return app.seen.getLast().headers();
    }

    @Test
    void aClientsForwardingHeadersAreReplacedWhenItIsNotATrustedProxy() throws Exception {
        start(TrustedProxies.NONE);
        var seen = send();
        assertThat(seen.getFirst("X-Forwarded-For")).isEqualTo("127.0.0.1");
        assertThat(seen.getFirst("Forwarded")).isEqualTo("for=127.0.0.1;host=\"example.test\";proto=http");
        assertThat(seen.getFirst("X-Forwarded-Proto")).isEqualTo("http");
        assertThat(seen.getFirst("X-Forwarded-Host")).isEqualTo("example.test");
    }

    @Test
    void aTrustedProxysChainIsExtendedAndItsSchemeAndHostKept() throws Exception {
        start(new TrustedProxies(List.of("10.0.0.0/8", "127.0.0.0/8")));
        var seen = send();
        assertThat(seen.getFirst("X-Forwarded-For")).isEqualTo("203.0.113.7, 127.0.0.1");
        assertThat(seen.getFirst("Forwarded")).isEqualTo("for=203.0.113.7;proto=https, for=127.0.0.1;host=\"example.test\";proto=http");
        assertThat(seen.getFirst("X-Forwarded-Proto")).isEqualTo("https");
        assertThat(seen.getFirst("X-Forwarded-Host")).isEqualTo("shop.example");
    }

    @Test
    void rangesMatchByPrefixForBothAddressFamilies() {
        TrustedProxies t = new TrustedProxies(List.of("10.1.0.0/16", "192.168.1.5", "fd00::/8", "::1"));
        assertThat(t.trusts(new InetSocketAddress("10.1.200.3", 1))).isTrue();
        assertThat(t.trusts(new InetSocketAddress("10.2.0.1", 1))).isFalse();
        assertThat(t.trusts(new InetSocketAddress("192.168.1.5", 1))).isTrue();
        assertThat(t.trusts(new InetSocketAddress("192.168.1.6", 1))).isFalse();
        assertThat(t.trusts(new InetSocketAddress("fd12:3456::1", 1))).isTrue();
        assertThat(t.trusts(new InetSocketAddress("::1", 1))).isTrue();
        assertThat(t.trusts(new InetSocketAddress("::2", 1))).isFalse();
        assertThatThrownBy(() -> new TrustedProxies(List.of("proxy.internal"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("'proxy.internal' is not an address");
        assertThatThrownBy(() -> new TrustedProxies(List.of("10.0.0.0/33"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("0..32");
    }
}
