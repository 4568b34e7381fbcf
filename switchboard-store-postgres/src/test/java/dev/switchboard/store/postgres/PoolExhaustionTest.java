package dev.switchboard.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.error.ErrorCode;
import dev.switchboard.core.error.SwitchboardException;
import dev.switchboard.core.store.Durability;
import dev.switchboard.core.store.StoreMetrics;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

final class PoolExhaustionTest {

    @BeforeAll
    static void requirePostgres() {
        TestDatabase.requireReachable();
    }

    @AfterAll
    static void dropSchemas() throws SQLException {
        TestDatabase.dropCreated();
    }

    @Test
    void exhaustedPoolFailsFastWithItsStateAndRecoversWhenConnectionsComeBack() throws SQLException {
        PoolOptions tiny = PoolOptions.DEFAULTS.withSize(2).withConnectionTimeout(Duration.ofMillis(250));
        AtomicInteger exhausted = new AtomicInteger();
        AtomicInteger acquired = new AtomicInteger();
        PoolMetrics counting = new PoolMetrics() {
            @Override
            public void acquired(long nanos) {
                acquired.incrementAndGet();
            }

            @Override
            public void exhausted() {
                exhausted.incrementAndGet();
            }
        };
        try (PostgresLogStore store = PostgresLogStore.open(TestDatabase.fresh(), tiny, Clock.systemUTC(), Duration.ofMinutes(5),
                StoreMetrics.NONE, counting)) {
            store.append(TestAppends.request("t", 1, Durability.SYNC)).join();
            Connection held1 = store.pool().borrow("test");
            Connection held2 = store.pool().borrow("test");

            assertThatThrownBy(() -> store.read("t", 0, 10))
                    .isInstanceOfSatisfying(SwitchboardException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.STORE_UNAVAILABLE))
                    .hasMessageContaining("read of 't' refused: PostgreSQL pool exhausted: 2 active, ")
                    .hasMessageContaining("pending, waited 250ms (pool size 2");
            assertThatThrownBy(() -> store.append(TestAppends.request("t", 1, Durability.SYNC)).join())
                    .isInstanceOf(CompletionException.class)
                    .hasCauseInstanceOf(SwitchboardException.class)
                    .hasMessageContaining("pool exhausted");

            held1.close();
            held2.close();
            assertThat(store.append(TestAppends.request("t", 1, Durability.SYNC)).join().first()).isEqualTo(2);
            assertThat(store.read("t", 0, 10)).hasSize(2);
            assertThat(exhausted).hasValue(2);
            assertThat(acquired.get()).isGreaterThanOrEqualTo(4);
        }
    }
}
