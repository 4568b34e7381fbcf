package dev.switchboard.server.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The sweep on a real event loop, with members that count their visits. */
class LoopSweepTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final EventLoop loop = new DefaultEventLoop();
    private final LoopSweep sweep = new LoopSweep(TimeUnit.MILLISECONDS.toNanos(10));

    @AfterEach
    void stop() {
        loop.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
    }

    @Test
    void everyMemberOfTheLoopIsVisitedEachPeriod() throws Exception {
        List<Counting> members = List.of(new Counting(), new Counting(), new Counting());
        onLoop(() -> members.forEach(m -> sweep.add(loop, m)));

        await().atMost(WAIT).until(() -> members.stream().allMatch(m -> m.visits.get() >= 3));
    }

    @Test
    void aRemovedMemberIsNoLongerVisitedAndTheLastOneOutStopsTheTask() throws Exception {
        Counting stays = new Counting();
        Counting leaves = new Counting();
        onLoop(() -> {
            sweep.add(loop, leaves);
            sweep.add(loop, stays);
            sweep.add(loop, stays); // once only
        });
        assertThat(onLoopGet(() -> sweep.size(loop))).isEqualTo(2);
        await().atMost(WAIT).until(() -> leaves.visits.get() >= 1);

        onLoop(() -> sweep.remove(loop, leaves));
        int left = leaves.visits.get();
        int before = stays.visits.get();
        await().atMost(WAIT).until(() -> stays.visits.get() >= before + 3);
        assertThat(leaves.visits.get()).isEqualTo(left);
        assertThat(leaves.sweepSlot()).isEqualTo(LoopSweep.Member.NOT_SWEPT);

        onLoop(() -> sweep.remove(loop, stays));
        assertThat(onLoopGet(() -> sweep.size(loop))).isZero();
        int last = stays.visits.get();
        await().during(Duration.ofMillis(50)).atMost(WAIT).until(() -> stays.visits.get() == last);
    }

    @Test
    void aMemberThatLeavesWhileVisitedDoesNotCostAnotherItsVisit() throws Exception {
        Counting a = new Counting();
        Counting b = new Counting();
        Counting quitter = new Counting() {
            @Override
            public void sweep(long now) {
                super.sweep(now);
                sweep.remove(loop, this);
            }
        };
        onLoop(() -> {
            sweep.add(loop, a);
            sweep.add(loop, quitter);
            sweep.add(loop, b);
        });

        await().atMost(WAIT).until(() -> a.visits.get() >= 3 && b.visits.get() >= 3);
        assertThat(quitter.visits.get()).isEqualTo(1);
    }

    @Test
    void aMemberWhoseVisitThrowsIsToldAndTheOthersAreStillVisited() throws Exception {
        Counting after = new Counting();
        Counting broken = new Counting() {
            @Override
            public void sweep(long now) {
                super.sweep(now);
                throw new IllegalStateException("broken");
            }
        };
        onLoop(() -> {
            sweep.add(loop, after);
            sweep.add(loop, broken); // visited first: the sweep runs from the end
        });

        await().atMost(WAIT).until(() -> broken.failures.get() >= 2 && after.visits.get() >= 2);
    }

    private <T> T onLoopGet(Callable<T> task) throws Exception {
        return loop.submit(task).get(10, TimeUnit.SECONDS);
    }

    private void onLoop(Runnable task) throws Exception {
        loop.submit(task).get(10, TimeUnit.SECONDS);
    }

    private static class Counting implements LoopSweep.Member {
        final AtomicInteger visits = new AtomicInteger();
        final AtomicInteger failures = new AtomicInteger();
        private int slot = NOT_SWEPT;

        @Override
        public void sweep(long now) {
            visits.incrementAndGet();
        }

        @Override
        public void sweepFailed(RuntimeException e) {
            failures.incrementAndGet();
        }

        @Override
        public int sweepSlot() {
            return slot;
        }

        @Override
        public void sweepSlot(int slot) {
            this.slot = slot;
        }
    }
}
