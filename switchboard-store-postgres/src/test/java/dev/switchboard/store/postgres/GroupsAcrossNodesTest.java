package dev.switchboard.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.message.MessageDraft;
import dev.switchboard.core.store.AppendRequest;
import dev.switchboard.core.store.Durability;
import dev.switchboard.core.store.LeaseRequest;
import dev.switchboard.core.store.Leased;
import dev.switchboard.core.store.Leased.Delivery;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * Two stores on one schema stand for two nodes whose consumers compete in one group: no message is
 * leased twice, none is lost. Prints the rate it drained at (a measurement, not an assertion).
 */
final class GroupsAcrossNodesTest extends NodesFixture {
    private static final int MESSAGES = 5_000;
    private static final int CONSUMERS_PER_NODE = 4;

    @Test
    void consumersOnTwoNodesLeaseEachMessageOfAGroupExactlyOnce() throws Exception {
        PostgresTarget target = TestDatabase.fresh();
        PostgresLogStore a = node(target, PoolOptions.DEFAULTS.size());
        PostgresLogStore b = node(target, PoolOptions.DEFAULTS.size());
        List<MessageDraft> page = IntStream.range(0, 500).mapToObj(i -> MessageDraft.of("text/plain", new byte[100])).toList();
        for (int i = 0; i < MESSAGES / page.size(); i++) {
            a.append(new AppendRequest("orders", page, Durability.SYNC, null)).get(30, TimeUnit.SECONDS);
        }
        Map<Long, Integer> seen = new ConcurrentHashMap<>();
        AtomicLong acked = new AtomicLong();
        long started = System.nanoTime();
        try (ExecutorService consumers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 2 * CONSUMERS_PER_NODE; t++) {
                PostgresLogStore node = t % 2 == 0 ? a : b;
                done.add(consumers.submit(() -> {
                    while (acked.get() < MESSAGES) {
                        Leased l = node.groups().lease(new LeaseRequest("orders", "billing", 100, 30_000, 3, System.currentTimeMillis()));
                        List<Long> offsets = l.deliveries().stream().map(Delivery::offset).toList();
                        offsets.forEach(o -> seen.merge(o, 1, Integer::sum));
                        if (!offsets.isEmpty()) {
                            node.groups().ack("orders", "billing", l.lease(), offsets, System.currentTimeMillis());
                            acked.addAndGet(offsets.size());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("PostgreSQL group: %d messages leased and acked by %d consumers on 2 nodes in %.2fs: %.0f messages/s%n",
                acked.get(), 2 * CONSUMERS_PER_NODE, seconds, acked.get() / seconds);
        assertThat(seen.keySet()).containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, MESSAGES).boxed().toList());
        assertThat(seen.values()).as("no offset leased twice").containsOnly(1);
        assertThat(b.groups().state("orders", "billing", System.currentTimeMillis()).committed()).isEqualTo(MESSAGES);
    }

}
