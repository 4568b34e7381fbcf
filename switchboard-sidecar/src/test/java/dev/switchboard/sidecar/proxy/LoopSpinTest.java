package dev.switchboard.sidecar.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.SelectStrategy;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * When a loop polls instead of sleeping. Each test runs the strategy on a thread of its own, as Netty runs it
 * on its loop's thread, and reports as an exchange on that loop would.
 */
class LoopSpinTest {
    private static final long SPIN = 200_000; // ns

    private final ExecutorService loopThread = Executors.newSingleThreadExecutor();
    private final AtomicInteger polls = new AtomicInteger();
    private final AtomicInteger pendingTasks = new AtomicInteger();
    private final LoopSpin spin = new LoopSpin(SPIN, pendingTasks::get);

    @AfterEach
    void stop() {
        loopThread.shutdownNow();
    }

    @Test
    void withNoRequestUpstreamTheLoopSleepsAtOnce() throws Exception {
        assertThat(strategy(false, 0)).isEqualTo(SelectStrategy.SELECT);
        assertThat(polls).hasValue(0);
    }

    @Test
    void whileAFastUpstreamIsAwaitedTheLoopPollsUntilEventsAreReady() throws Exception {
        onLoop(() -> LoopSpin.awaitingUpstream(1));
        assertThat(strategy(false, 3)).isEqualTo(3); // the third poll finds events: their count is the answer
        assertThat(polls).hasValue(3);
    }

    @Test
    void aSpinThatFindsNothingEndsInSleepAfterItsTime() throws Exception {
        onLoop(() -> LoopSpin.awaitingUpstream(1));
        long start = System.nanoTime();
        assertThat(strategy(false, Integer.MAX_VALUE)).isEqualTo(SelectStrategy.SELECT);
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(SPIN);
        assertThat(polls.get()).isGreaterThan(1);
    }

    @Test
    void anUpstreamSlowerThanTheSpinMakesTheLoopSleepAtOnce() throws Exception {
        onLoop(() -> {
            LoopSpin.awaitingUpstream(1);
            for (int i = 0; i < 30; i++) {
                LoopSpin.upstreamAnswered(5 * SPIN); // the moving average climbs past twice the spin
            }
        });
        assertThat(strategy(false, 1)).isEqualTo(SelectStrategy.SELECT);
        assertThat(polls).hasValue(0);

        onLoop(() -> {
            for (int i = 0; i < 60; i++) {
                LoopSpin.upstreamAnswered(SPIN / 4); // and comes back down when the app speeds up
            }
        });
        assertThat(strategy(false, 1)).isEqualTo(1);
    }

    @Test
    void theLastAnswerEndsTheSpinning() throws Exception {
        onLoop(() -> {
            LoopSpin.awaitingUpstream(1);
            LoopSpin.awaitingUpstream(-1);
        });
        assertThat(strategy(false, 1)).isEqualTo(SelectStrategy.SELECT);
        assertThat(polls).hasValue(0);
    }

    @Test
    void aTaskHandedOverByAnotherThreadEndsTheSpinSoTheLoopRunsIt() throws Exception {
        onLoop(() -> LoopSpin.awaitingUpstream(1));
        pendingTasks.set(1);
        assertThat(strategy(false, Integer.MAX_VALUE)).isEqualTo(0); // 0 events: the loop goes on to its tasks
        assertThat(polls).hasValue(1);
    }

    @Test
    void queuedTasksMeanALookWithoutSleepingAsNettysDefault() throws Exception {
        assertThat(strategy(true, 1)).isEqualTo(1);
        assertThat(polls).hasValue(1);
    }

    @Test
    void reportsFromAThreadWithoutALoopChangeNothing() throws Exception {
        LoopSpin.awaitingUpstream(1); // the test's own thread: no loop's spin is bound to it
        assertThat(strategy(false, 1)).isEqualTo(SelectStrategy.SELECT);
    }

    /** Runs the strategy on the loop's thread; from poll number {@code readyOn} on, a poll finds {@code readyOn} ready events. */
    private int strategy(boolean hasTasks, int readyOn) throws Exception {
        polls.set(0);
        return loopThread.submit(() -> spin.calculateStrategy(() -> polls.incrementAndGet() >= readyOn ? readyOn : 0, hasTasks)).get();
    }

    /** Binds the spin to the loop's thread (its first call does), then runs {@code reports} there. */
    private void onLoop(Runnable reports) throws Exception {
        loopThread.submit(() -> {
            spin.calculateStrategy(() -> 0, true);
            reports.run();
            return null;
        }).get();
        polls.set(0);
    }
}
