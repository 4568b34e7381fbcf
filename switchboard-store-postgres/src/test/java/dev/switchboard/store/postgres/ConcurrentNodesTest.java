package dev.switchboard.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.message.Message;
import dev.switchboard.core.store.AppendRequest;
import dev.switchboard.core.store.Appended;
import dev.switchboard.core.store.Durability;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** Two stores on one schema stand for two nodes: the trap of offsets that become visible out of order. */
final class ConcurrentNodesTest extends NodesFixture {
    private static final int APPENDERS_PER_NODE = 4;
    private static final int APPENDS_PER_APPENDER = 150;

    @Test
    void tailerOfTwoNodesAppendingToOneTopicSeesEveryOffsetInOrderWithoutAGapFilledLater() throws Exception {
        PostgresTarget target = TestDatabase.fresh();
        PostgresLogStore a = node(target, 4);
        PostgresLogStore b = node(target, 4);
        ExecutorService appenders = Executors.newFixedThreadPool(2 * APPENDERS_PER_NODE);
        List<Future<List<Appended>>> work = new ArrayList<>();
        long total = 0;
        for (int t = 0; t < 2 * APPENDERS_PER_NODE; t++) {
            PostgresLogStore node = t % 2 == 0 ? a : b;
            int size = 1 + t % 3;
            total += (long) size * APPENDS_PER_APPENDER;
            work.add(appenders.submit(() -> {
                List<CompletableFuture<Appended>> sent = new ArrayList<>();
                for (int i = 0; i < APPENDS_PER_APPENDER; i++) {
                    sent.add(node.append(TestAppends.request("shared", size, i % 2 == 0 ? Durability.SYNC : Durability.ASYNC)));
                    if (i % 8 == 7) {
                        sent.getLast().join(); // a few in flight per appender, so batches of both nodes interleave
                    }
                }
                return sent.stream().map(CompletableFuture::join).toList();
            }));
        }

        List<Long> tailed = tail(b, total); // tails while the appends run

        for (Future<List<Appended>> f : work) {
            assertThat(f.get(60, TimeUnit.SECONDS)).hasSize(APPENDS_PER_APPENDER);
        }
        appenders.shutdown();
        List<Long> expected = LongStream.rangeClosed(1, total).boxed().toList();
        assertThat(tailed).as("what the tailer saw, in order").isEqualTo(expected);
        assertThat(a.read("shared", 0, (int) total + 1)).extracting(Message::offset).isEqualTo(expected);
        assertThat(a.head("shared").last()).isEqualTo(total);
    }

    @Test
    void sameIdempotencyKeyOnTwoNodesAtOnceAppendsOnce() {
        PostgresTarget target = TestDatabase.fresh();
        PostgresLogStore a = node(target, 4);
        PostgresLogStore b = node(target, 4);
        List<CompletableFuture<Appended>> sent = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            AppendRequest r = new AppendRequest("keyed", TestAppends.request("keyed", 2, Durability.SYNC).drafts(), Durability.SYNC,
                    "order-42");
            sent.add((i % 2 == 0 ? a : b).append(r));
        }

        List<Appended> results = sent.stream().map(CompletableFuture::join).toList();

        assertThat(results).filteredOn(r -> !r.duplicate()).hasSize(1);
        assertThat(results).extracting(Appended::first, Appended::last).containsOnly(org.assertj.core.groups.Tuple.tuple(1L, 2L));
        assertThat(b.head("keyed").last()).isEqualTo(2);
    }

    /** Reads after the last offset seen, as a polling client does, until {@code total} messages came. */
    private static List<Long> tail(PostgresLogStore node, long total) {
        List<Long> seen = new ArrayList<>();
        long after = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (seen.size() < total && System.nanoTime() < deadline) {
            for (Message m : node.read("shared", after, 50)) {
                seen.add(m.offset());
                after = m.offset();
            }
            Thread.onSpinWait();
        }
        return seen;
    }

}
