package dev.switchboard.bench;

import dev.switchboard.bench.wire.Subscriber;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;

/**
 * The subscribers of one run, opened in steps of {@value #STEP} so 10,000 connects do not overflow the
 * server's accept backlog (a dropped SYN costs a one-second retransmit); each step waits until its
 * subscriptions are confirmed.
 */
final class Fleet implements AutoCloseable {
    private static final int STEP = 500;
    private static final long STEP_TIMEOUT_SECONDS = 30;

    private final List<Subscriber> members;

    private Fleet(List<Subscriber> members) {
        this.members = members;
    }

    static Fleet open(int n, IntFunction<Subscriber> open) throws InterruptedException {
        List<Subscriber> members = new ArrayList<>(n);
        Fleet fleet = new Fleet(members);
        try {
            for (int i = 0; i < n; i += STEP) {
                List<Subscriber> step = new ArrayList<>();
                for (int j = i; j < Math.min(n, i + STEP); j++) {
                    step.add(open.apply(j));
                }
                members.addAll(step);
                CompletableFuture.allOf(step.stream().map(Subscriber::ready).toArray(CompletableFuture[]::new))
                        .get(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
        } catch (ExecutionException | TimeoutException e) {
            fleet.close();
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            long confirmed = members.stream().filter(m -> m.ready().isDone() && !m.ready().isCompletedExceptionally()).count();
            throw new IllegalStateException("subscribing " + n + " failed with " + members.size() + " opened, " + confirmed + " confirmed: " + cause,
                    cause);
        }
        return fleet;
    }

    List<Subscriber> members() {
        return members;
    }

    /** The lowest offset any subscriber has reached: what the windowed publisher waits for. */
    long slowest() {
        long min = Long.MAX_VALUE;
        for (Subscriber s : members) {
            min = Math.min(min, s.cursor().last());
        }
        return min == Long.MAX_VALUE ? 0 : min;
    }

    @Override
    public void close() {
        members.forEach(Subscriber::close);
    }
}
