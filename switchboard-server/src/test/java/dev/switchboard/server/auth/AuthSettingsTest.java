package dev.switchboard.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.config.ConfigException;
import dev.switchboard.core.config.ConfigLoader;
import dev.switchboard.core.config.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The auth settings are checked at start, with messages that name the setting and where it came from. */
class AuthSettingsTest {
    @TempDir
    Path dir;

    private static ServerConfig load(String... keyValues) {
        Map<String, String> flags = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            flags.put(keyValues[i], keyValues[i + 1]);
        }
        return ConfigLoader.load(flags, Map.of());
    }

    @Test
    void authIsOffByDefaultOnLoopback() {
        ServerConfig c = load();
        assertThat(c.auth().enabled()).isFalse();
        assertThat(c.auth().leeway()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void aNonLoopbackBindWithoutAuthIsRefusedUnlessExplicitlyAllowed() {
        assertThatThrownBy(() -> load("bind", "0.0.0.0"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("bind=0.0.0.0 (flag --bind) is not a loopback address, and auth=none (default)")
                .hasMessageContaining("allow-unauthenticated=true");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of(), Map.of("SWITCHBOARD_BIND", "::")))
                .hasMessageContaining("(environment variable SWITCHBOARD_BIND)");
        assertThat(load("bind", "0.0.0.0", "allow-unauthenticated", "true").bind()).isEqualTo("0.0.0.0");
        assertThat(load("bind", "0.0.0.0", "auth", "jwt", "jwt-secret", Jwts.SECRET).auth().enabled()).isTrue();
        assertThat(load("bind", "::1").bind()).isEqualTo("::1");
        assertThat(load("bind", "localhost").bind()).isEqualTo("localhost");
    }

    @Test
    void jwtNeedsASecretOrAKey() {
        assertThatThrownBy(() -> load("auth", "jwt"))
                .hasMessageContaining("auth=jwt (flag --auth) needs jwt-secret (HS256) or jwt-public-key (RS256, ES256)");
        assertThatThrownBy(() -> load("auth", "oauth")).hasMessageContaining("invalid auth=oauth (flag --auth): use none or jwt");
    }

    @Test
    void aShortSecretIsRefusedWithoutPrintingIt() {
        assertThatThrownBy(() -> load("auth", "jwt", "jwt-secret", "hunter2"))
                .hasMessageContaining("invalid jwt-secret (flag --jwt-secret): it has 7 bytes; HS256 needs at least 32")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void theSecretCanBeReadFromAFile() throws Exception {
        Path file = dir.resolve("secret");
        Files.writeString(file, Jwts.SECRET + "\n");
        byte[] secret = load("auth", "jwt", "jwt-secret", "@" + file).auth().hmacSecret();
        assertThat(new String(secret)).isEqualTo(Jwts.SECRET);
        assertThatThrownBy(() -> load("auth", "jwt", "jwt-secret", "@" + dir.resolve("missing")))
                .hasMessageContaining("invalid jwt-secret=@").hasMessageContaining("cannot read");
    }

    @Test
    void publicKeysMustBeRsa2048OrP256InPem() throws Exception {
        assertThat(load("auth", "jwt", "jwt-public-key", Jwts.pem(Jwts.rsa(2048).getPublic(), dir).toString()).auth().publicKey())
                .isNotNull();
        assertThat(load("auth", "jwt", "jwt-public-key", Jwts.pem(Jwts.ec("secp256r1").getPublic(), dir).toString()).auth().publicKey())
                .isNotNull();
        assertThatThrownBy(() -> load("auth", "jwt", "jwt-public-key", Jwts.pem(Jwts.rsa(1024).getPublic(), dir).toString()))
                .hasMessageContaining("(flag --jwt-public-key): the RSA key has 1024 bits; RS256 needs at least 2048");
        assertThatThrownBy(() -> load("auth", "jwt", "jwt-public-key", Jwts.pem(Jwts.ec("secp384r1").getPublic(), dir).toString()))
                .hasMessageContaining("not on P-256");
        Path junk = dir.resolve("junk.pem");
        Files.writeString(junk, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
        assertThatThrownBy(() -> load("auth", "jwt", "jwt-public-key", junk.toString())).hasMessageContaining("openssl pkey -in KEY -pubout");
        assertThatThrownBy(() -> load("auth", "jwt", "jwt-public-key", dir.resolve("nope.pem").toString()))
                .hasMessageContaining("no readable file at");
    }

    @Test
    void jwtSettingsWithoutAuthJwtAreAMistakeNotIgnored() {
        assertThatThrownBy(() -> load("jwt-secret", Jwts.SECRET))
                .hasMessageContaining("jwt-secret is set (flag --jwt-secret) but auth=none (default): set auth=jwt");
    }

    @Test
    void theLeewayIsBounded() {
        assertThatThrownBy(() -> load("auth", "jwt", "jwt-secret", Jwts.SECRET, "jwt-leeway", "1h")).hasMessageContaining("at most 10m");
        assertThat(load("auth", "jwt", "jwt-secret", Jwts.SECRET, "jwt-leeway", "0s").auth().leeway()).isZero();
    }

    @Test
    void theSettingsNeverPrintTheSecret() {
        assertThat(load("auth", "jwt", "jwt-secret", Jwts.SECRET).auth().toString()).isEqualTo("jwt (HS256, leeway 30s)");
    }
}
