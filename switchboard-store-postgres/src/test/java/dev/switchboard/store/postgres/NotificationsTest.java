package dev.switchboard.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.core.message.Message;
import dev.switchboard.core.store.AppendListener;
import dev.switchboard.core.store.Durability;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** Two stores on one schema stand for two nodes. */
final class NotificationsTest extends NodesFixture {

    @Test
    void appendOnOneNodeReachesTheOtherNodesListenerOnceAndInOffsetOrder() {
        PostgresTarget target = TestDatabase.fresh();
        PostgresLogStore a = node(target, 3);
        PostgresLogStore b = node(target, 3);
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
        PostgresLogStore a = node(target, 3);
        PostgresLogStore b = node(target, 3);
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

    @Test
    void aNodeWhoseListeningBrokeCatchesUpOnWhatWasCommittedMeanwhile() throws Exception {
        PostgresTarget target = TestDatabase.fresh();
        PostgresLogStore a = node(target, 3);
        PostgresLogStore b = node(target, 3);
        Recorder onB = new Recorder();
        a.listen(new Recorder());
        b.listen(onB);
        a.append(TestAppends.request("orders", 1, Durability.SYNC)).join();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(onB.offsets("orders")).containsExactly(1L));

        try (Connection admin = TestDatabase.connect(target); Statement s = admin.createStatement()) {
            // Both nodes lose their LISTEN session, as when PostgreSQL restarts or a proxy drops the connection.
            s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = 'LISTEN " + target.schema() + "'");
        }
        a.append(TestAppends.request("orders", 2, Durability.SYNC)).join(); // its NOTIFY reaches nobody

        // No further append: node B must learn of offsets 2..3 when it listens again, not at the topic's next commit.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(onB.offsets("orders")).containsExactly(1L, 2L, 3L));
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
