package dev.switchboard.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

final class PostgresTargetTest {

    @Test
    void libpqUriBecomesAJdbcUrlWithItsUserAndDatabase() {
        assertThat(PostgresTarget.of("postgresql://app@db.example:6432/events", "switchboard").jdbcUrl())
                .isEqualTo("jdbc:postgresql://db.example:6432/events?user=app");
    }

    @Test
    void libpqUriKeepsPasswordAndParametersAndDefaultsThePort() {
        assertThat(PostgresTarget.toJdbc("postgres://app:s%40cret@localhost/events?sslmode=require"))
                .isEqualTo("jdbc:postgresql://localhost:5432/events?user=app&password=s%40cret&sslmode=require");
    }

    @Test
    void jdbcUrlIsTakenAsIs() {
        assertThat(PostgresTarget.toJdbc("jdbc:postgresql://h:1/d?user=u")).isEqualTo("jdbc:postgresql://h:1/d?user=u");
    }

    @Test
    void describeHidesThePassword() {
        assertThat(PostgresTarget.of("postgresql://app:hunter2@h/d", "s").describe()).doesNotContain("hunter2").contains("app");
    }

    @Test
    void otherSchemesAndUnsafeSchemaNamesAreRefused() {
        assertThatThrownBy(() -> PostgresTarget.of("mysql://h/d", "s")).hasMessageContaining("must start with postgresql://");
        assertThatThrownBy(() -> PostgresTarget.of("postgresql://h/d", "x; DROP")).hasMessageContaining("schema name");
    }
}
