package dev.switchboard.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.store.Retention;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class ConfigLoaderTest {
    @TempDir
    Path dir;

    @Test
    void flagsWinOverTheEnvironmentWhichWinsOverTheFile() throws IOException {
        // A non-loopback bind without auth needs the explicit opt-out (DESIGN §5).
        Path file = file("port = 1111\nbind = 10.0.0.1\nring-size = 64\nallow-unauthenticated = true\n");
        Map<String, String> env = Map.of("SWITCHBOARD_PORT", "2222", "SWITCHBOARD_BIND", "10.0.0.2");

        ServerConfig config = ConfigLoader.load(Map.of("config", file.toString(), "port", "3333"), env);

        assertThat(config.port()).isEqualTo(3333);
        assertThat(config.bind()).isEqualTo("10.0.0.2");
        assertThat(config.ringSize()).isEqualTo(64);
    }

    @Test
    void theConfigFileCanBeNamedInTheEnvironment() throws IOException {
        Path file = file("max-wait = 5s\n");

        ServerConfig config = ConfigLoader.load(Map.of(), Map.of("SWITCHBOARD_CONFIG", file.toString()));

        assertThat(config.limits().maxWait()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void defaultsApplyWhenNothingIsGiven() {
        ServerConfig config = ConfigLoader.load(Map.of(), Map.of());

        assertThat(config.port()).isEqualTo(8080);
        assertThat(config.bind()).isEqualTo("127.0.0.1");
        assertThat(config.limits().maxBodyBytes()).isEqualTo(1 << 20);
        assertThat(config.idempotencyTtl()).isEqualTo(Duration.ofHours(24));
        assertThat(config.retention().forTopic("anything")).isEqualTo(new Retention(0, Duration.ofDays(7)));
    }

    @Test
    void postgresStoreTakesTheLibpqUriFormAndAJdbcUrl() {
        assertThat(ConfigLoader.load(Map.of("store", "postgres", "postgres-url", "postgresql://app@db:5432/events"), Map.of())
                .postgres().url()).isEqualTo("postgresql://app@db:5432/events");
        assertThat(ConfigLoader.load(Map.of("store", "postgres"), Map.of("SWITCHBOARD_POSTGRES_URL", "jdbc:postgresql://db/events"))
                .postgres().url()).isEqualTo("jdbc:postgresql://db/events");
    }

    @Test
    void postgresPoolSizeAndSchemaAreSettingsWithCheckedValues() {
        var defaults = ConfigLoader.load(Map.of("store", "postgres", "postgres-url", "postgresql://app@db/events"), Map.of()).postgres();
        assertThat(defaults.poolSize()).isEqualTo(10);
        assertThat(defaults.schema()).isEqualTo("switchboard");
        var set = ConfigLoader.load(Map.of("store", "postgres", "postgres-url", "postgresql://app@db/events", "postgres-pool-size", "32"),
                Map.of("SWITCHBOARD_POSTGRES_SCHEMA", "tenant_a")).postgres();
        assertThat(set.poolSize()).isEqualTo(32);
        assertThat(set.schema()).isEqualTo("tenant_a");
        assertThat(set.poolTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(set.maxLifetime()).isEqualTo(Duration.ofMinutes(30));
        assertThat(set.leakDetection()).isEqualTo(Duration.ofSeconds(10));
        var tuned = ConfigLoader.load(Map.of("postgres-pool-timeout", "500ms", "postgres-max-lifetime", "10m", "postgres-leak-detection", "0s"),
                Map.of()).postgres();
        assertThat(tuned.poolTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(tuned.maxLifetime()).isEqualTo(Duration.ofMinutes(10));
        assertThat(tuned.leakDetection()).isZero();
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("postgres-pool-size", "1"), Map.of())).hasMessageContaining("postgres-pool-size");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("postgres-pool-timeout", "100ms"), Map.of()))
                .hasMessageContaining("postgres-pool-timeout");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("postgres-leak-detection", "1s"), Map.of()))
                .hasMessageContaining("postgres-leak-detection");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("postgres-max-lifetime", "1m", "postgres-leak-detection", "2m"), Map.of()))
                .hasMessageContaining("below postgres-max-lifetime");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("postgres-schema", "Robert'); DROP"), Map.of()))
                .hasMessageContaining("postgres-schema").hasMessageContaining("lower-case");
    }

    @Test
    void postgresStoreWithoutAUrlIsRefusedWithAnExample() {
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("store", "postgres"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("store=postgres")
                .hasMessageContaining("needs postgres-url, e.g. --postgres-url postgresql://");
    }

    @Test
    void postgresUrlOfAnotherFormIsRefusedWithoutEchoingItsPassword() {
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("store", "postgres", "postgres-url", "mysql://u:hunter2@db/x"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("invalid postgres-url")
                .hasMessageContaining("use postgresql://USER@HOST:PORT/DB")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void unknownKeyInTheFileIsRejectedByNameWithTheKnownKeys() throws IOException {
        Path file = file("prot = 8080\n");

        assertThatThrownBy(() -> ConfigLoader.load(Map.of("config", file.toString()), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown setting(s) [prot] in config file " + file)
                .hasMessageContaining("known: port, bind");
    }

    @Test
    void unknownFlagIsRejectedByName() {
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("prot", "1"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("unknown setting 'prot'");
    }

    @Test
    void badDurationNamesTheSettingAndWhereItCameFrom() {
        assertThatThrownBy(() -> ConfigLoader.load(Map.of(), Map.of("SWITCHBOARD_MAX_WAIT", "10")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("invalid max-wait=10 (environment variable SWITCHBOARD_MAX_WAIT): "
                        + "'10' is not a duration: write e.g. 250ms, 30s, 5m, 2h or 7d");
    }

    @Test
    void badSizeNamesTheSettingAndWhereItCameFrom() throws IOException {
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("max-body", "1MB"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("invalid max-body=1MB (flag --max-body): '1MB' is not a size: write e.g. 65536, 64KiB, 1MiB or 1GiB");

        Path file = file("session-budget = lots\n");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("config", file.toString()), Map.of()))
                .hasMessageStartingWith("invalid session-budget=lots (config file " + file + "): 'lots' is not a size");
    }

    @Test
    void valueOutOfRangeSaysTheRange() {
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("ring-size", "8"), Map.of()))
                .hasMessage("invalid ring-size=8 (flag --ring-size): must be between 16 and 16777216");
    }

    @Test
    void perTopicRetentionGlobsOverrideTheDefault() throws IOException {
        Path file = file("""
                retention-max-messages = 5
                retention.orders.*.max-messages = 100
                retention.orders.*.max-age = 1h
                retention.audit*.max-age = 30d
                """);

        RetentionRules rules = ConfigLoader.load(Map.of("config", file.toString()), Map.of()).retention();

        assertThat(rules.forTopic("orders.eu")).isEqualTo(new Retention(100, Duration.ofHours(1)));
        assertThat(rules.forTopic("audit-log")).isEqualTo(new Retention(0, Duration.ofDays(30)));
        assertThat(rules.forTopic("orders")).isEqualTo(new Retention(5, Duration.ofDays(7)));
        assertThat(rules.forTopic("other")).isEqualTo(new Retention(5, Duration.ofDays(7)));
    }

    @Test
    void theFirstMatchingRetentionGlobInFileOrderWins() throws IOException {
        RetentionRules specificFirst = rules("retention.orders.*.max-messages = 1\nretention.*.max-messages = 2\n");
        RetentionRules catchAllFirst = rules("retention.*.max-messages = 2\nretention.orders.*.max-messages = 1\n");

        assertThat(specificFirst.forTopic("orders.eu").maxMessages()).isEqualTo(1);
        assertThat(catchAllFirst.forTopic("orders.eu").maxMessages()).isEqualTo(2);
    }

    @Test
    void badPerTopicRetentionNamesTheKey() throws IOException {
        Path file = file("retention.orders.max-age = forever\n");

        assertThatThrownBy(() -> ConfigLoader.load(Map.of("config", file.toString()), Map.of()))
                .hasMessageStartingWith("invalid retention.orders.max-age=forever (config file " + file + "): 'forever' is not a duration");
    }

    private RetentionRules rules(String text) throws IOException {
        return ConfigLoader.load(Map.of("config", file(text).toString()), Map.of()).retention();
    }

    private Path file(String text) throws IOException {
        return Files.writeString(Files.createTempFile(dir, "switchboard", ".conf"), text);
    }
}
