package dev.switchboard.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.error.ErrorCode;
import dev.switchboard.core.error.SwitchboardException;
import dev.switchboard.core.store.StoreMetrics;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

final class UnreachableDatabaseTest {

    @Test
    void openingAnUnreachableDatabaseFailsAtStartSayingWhereWithoutThePassword() {
        PostgresTarget nowhere = PostgresTarget.of("postgresql://app:hunter2@127.0.0.1:1/none", "switchboard");
        PoolOptions quick = PoolOptions.DEFAULTS.withConnectionTimeout(Duration.ofMillis(250));

        assertThatThrownBy(() -> PostgresLogStore.open(nowhere, quick, Clock.systemUTC(), Duration.ofMinutes(5), StoreMetrics.NONE))
                .isInstanceOfSatisfying(SwitchboardException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.STORE_UNAVAILABLE))
                .hasMessageContaining("cannot reach PostgreSQL at jdbc:postgresql://127.0.0.1:1/none")
                .hasMessageNotContaining("hunter2");
    }
}
