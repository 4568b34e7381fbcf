package dev.switchboard.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.message.MessageDraft;
import dev.switchboard.core.store.AppendRequest;
import dev.switchboard.core.store.Durability;
import dev.switchboard.core.store.GroupStore;
import dev.switchboard.core.store.LeaseRequest;
import dev.switchboard.core.store.Leased;
import dev.switchboard.core.store.Leased.Delivery;
import dev.switchboard.core.store.StoreMetrics;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Four consumers drain one group, leasing 100 and acking each lease in one call, and the rate is
 * printed: a measurement, not a timed assertion (the machine may be shared). Checks only that every
 * message was leased once and the group ends committed.
 */
final class GroupThroughputTest {
    private static final int MESSAGES = 50_000;
    private static final int CONSUMERS = 4;
    private static final int LEASE_SIZE = 100;

    @TempDir
    Path dir;

    @Test
    void fourConsumersDrainAGroupLeasingAndAckingInBatches() throws Exception {
        try (SqliteLogStore store = SqliteLogStore.open(dir, Clock.systemUTC(), Duration.ofHours(1), StoreMetrics.NONE)) {
            List<MessageDraft> page = IntStream.range(0, 1_000).mapToObj(i -> MessageDraft.of("text/plain", new byte[100])).toList();
            for (int i = 0; i < MESSAGES / page.size(); i++) {
                store.append(new AppendRequest("orders", page, Durability.ASYNC, null)).get(30, TimeUnit.SECONDS);
            }
            GroupStore groups = store.groups();
            AtomicLong acked = new AtomicLong();
            long started = System.nanoTime();
            try (ExecutorService consumers = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> done = new ArrayList<>();
                for (int c = 0; c < CONSUMERS; c++) {
                    done.add(consumers.submit(() -> {
                        while (true) {
                            Leased l = groups.lease(new LeaseRequest("orders", "billing", LEASE_SIZE, 30_000, 3, System.currentTimeMillis()));
                            if (l.isEmpty()) {
                                return null;
                            }
                            List<Long> offsets = l.deliveries().stream().map(Delivery::offset).toList();
                            groups.ack("orders", "billing", l.lease(), offsets, System.currentTimeMillis());
                            acked.addAndGet(offsets.size());
                        }
                    }));
                }
                for (Future<?> f : done) {
                    f.get(120, TimeUnit.SECONDS);
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("SQLite group: %d messages leased and acked by %d consumers in %.2fs: %.0f messages/s%n", acked.get(),
                    CONSUMERS, seconds, acked.get() / seconds);
            assertThat(acked.get()).isEqualTo(MESSAGES);
            assertThat(groups.state("orders", "billing", System.currentTimeMillis()).committed()).isEqualTo(MESSAGES);
        }
    }
}
