package dev.switchboard.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS and HTTP/2 settings are checked at start, with messages that name the setting and its source. */
final class TlsSettingsTest {
    @TempDir
    Path dir;

    @Test
    void withoutTlsSettingsTheServerSpeaksCleartextAndAllows256StreamsPerConnection() {
        ServerConfig config = ConfigLoader.load(Map.of(), Map.of());
        assertThat(config.tls().enabled()).isFalse();
        assertThat(config.limits().maxConcurrentStreams()).isEqualTo(256);
    }

    @Test
    void selfSignedIsAskedForWithTrue() {
        ServerConfig config = ConfigLoader.load(Map.of("tls-self-signed", "true"), Map.of());
        assertThat(config.tls()).isEqualTo(TlsSettings.SELF_SIGNED);
        assertThat(config.tls().enabled()).isTrue();
    }

    @Test
    void selfSignedAcceptsOnlyTrueOrFalse() {
        assertThatThrownBy(() -> ConfigLoader.load(Map.of(), Map.of("SWITCHBOARD_TLS_SELF_SIGNED", "yes")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("invalid tls-self-signed=yes (environment variable SWITCHBOARD_TLS_SELF_SIGNED): use true or false");
    }

    @Test
    void certificateWithoutKeyIsRefusedNamingTheMissingOne() throws Exception {
        Path cert = Files.writeString(dir.resolve("cert.pem"), "x");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("tls-cert", cert.toString()), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("tls-cert is set (flag --tls-cert) but tls-key is not: HTTPS needs both the certificate and its private key");
    }

    @Test
    void unreadableCertificateFileIsRefusedAtStart() {
        Path missing = dir.resolve("missing.pem");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("tls-cert", missing.toString(), "tls-key", missing.toString()), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("invalid tls-cert=" + missing + " (flag --tls-cert): no readable file at");
    }

    @Test
    void pemFilesAndSelfSignedTogetherAreRefused() throws Exception {
        Path cert = Files.writeString(dir.resolve("cert.pem"), "x");
        Path key = Files.writeString(dir.resolve("key.pem"), "x");
        assertThatThrownBy(() -> ConfigLoader.load(
                Map.of("tls-cert", cert.toString(), "tls-key", key.toString(), "tls-self-signed", "true"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("choose one");
    }

    @Test
    void pemFilesGiveTlsWithThosePaths() throws Exception {
        Path cert = Files.writeString(dir.resolve("cert.pem"), "x");
        Path key = Files.writeString(dir.resolve("key.pem"), "x");
        TlsSettings tls = ConfigLoader.load(Map.of("tls-cert", cert.toString(), "tls-key", key.toString()), Map.of()).tls();
        assertThat(tls).isEqualTo(new TlsSettings(cert, key, false));
    }

    @Test
    void maxStreamsMustBeAtLeastOne() {
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("max-streams", "0"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("invalid max-streams=0 (flag --max-streams): must be between 1 and");
    }
}
