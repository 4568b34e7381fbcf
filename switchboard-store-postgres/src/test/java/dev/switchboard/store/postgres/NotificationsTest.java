package dev.switchboard.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.core.message.Message;
import dev.switchboard.core.store.AppendListener;
import dev.switchboard.core.store.Durability;
import dev.switchboard.core.store.StoreMetrics;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two stores on one schema stand for two nodes. */
final class NotificationsTest {
    private final List<PostgresLogStore> nodes = new ArrayList<>();

    @BeforeAll
    static void requirePostgres() {
        TestDatabase.requireReachable();
    }

    @AfterAll
    static void dropSchemas() throws SQLException {
        TestDatabase.dropCreated();
    }

    @AfterEach
    void closeNodes() {
        nodes.forEach(PostgresLogStore::close);
    }

    @Test
    void appendOnOneNodeReachesTheOtherNodesListenerOnceAndInOffsetOrder() {
        PostgresTarget target = TestDatabase.fresh();
        PostgresLogStore a = node(target);
        PostgresLogStore b = node(target);
        Recorder onA = new Recorder();
        Recorder onB = new Recorder();
        a.listen(onA);
        b.listen(onB);

        for (int i = 0; i < 20; i++) {
            a.append(TestAppends.request("orders", 1 + i % 3, Durability.SYNC));
        }
        a.append(TestAppends.request("other", 1, Durability.SYNC)).join();

        List<Long> expected = LongStream.rangeClosed(1, 39).boxed().toList();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(onB.offsets("orders")).isEqualTo(expected));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(onB.offsets("other")).containsExactly(1L));
        assertThat(onA.offsets("orders")).isEqualTo(expected);
    }

    @Test
    void appendsOfBothNodesInterleavedReachEachListenerWithoutGapsOrRepeats() {
        PostgresTarget target = TestDatabase.fresh();
        PostgresLogStore a = node(target);
        PostgresLogStore b = node(target);
        Recorder onA = new Recorder();
        Recorder onB = new Recorder();
        a.listen(onA);
        b.listen(onB);

        for (int i = 0; i < 30; i++) {
            (i % 2 == 0 ? a : b).append(TestAppends.request("chat", 2, Durability.ASYNC));
        }
        a.append(TestAppends.request("chat", 1, Durability.SYNC)).join();
        b.append(TestAppends.request("chat", 1, Durability.SYNC)).join();

        List<Long> expected = LongStream.rangeClosed(1, 62).boxed().toList();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(onA.offsets("chat")).isEqualTo(expected);
            assertThat(onB.offsets("chat")).isEqualTo(expected);
        });
    }

    private PostgresLogStore node(PostgresTarget target) {
        PostgresLogStore node = PostgresLogStore.open(target, PoolOptions.DEFAULTS.withSize(3), Clock.systemUTC(),
                Duration.ofMinutes(5), StoreMetrics.NONE);
        nodes.add(node);
        return node;
    }

    private static final class Recorder implements AppendListener {
        private final List<Message> told = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void appended(String topic, List<Message> messages) {
            told.addAll(messages);
        }

        List<Long> offsets(String topic) {
            synchronized (told) {
                return told.stream().filter(m -> m.topic().equals(topic)).map(Message::offset).toList();
            }
        }
    }
}
