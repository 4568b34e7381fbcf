package dev.switchboard.client.internal;

import dev.switchboard.client.JobCancelledException;
import dev.switchboard.client.JobLeaseLostException;
import dev.switchboard.client.SwitchboardClientException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Renews a running job's lease so its handler need not: a virtual thread that heartbeats whenever {@code every}
 * has passed since the last renewal (the handler's own heartbeat and progress count, so a chatty handler causes no
 * extra calls). A heartbeat answered {@code cancelled} or {@code lease-not-held} loses the job (see
 * {@link RunningJob}) and ends the keeper; one that got no answer is tried again a turn later; any other refusal
 * goes to {@code onProblem} and is tried again too. {@link #OFF} when the worker's auto heartbeat is off. Not API.
 */
final class LeaseKeeper {
    static final LeaseKeeper OFF = new LeaseKeeper(null);

    private final Thread thread;

    private LeaseKeeper(Thread thread) {
        this.thread = thread;
    }

    static LeaseKeeper start(RunningJob job, Duration every, Consumer<SwitchboardClientException> onProblem) {
        String name = Thread.currentThread().getName() + "-heartbeat";
        return new LeaseKeeper(Thread.ofVirtual().name(name).start(() -> keep(job, every.toNanos(), onProblem)));
    }

    private static void keep(RunningJob job, long every, Consumer<SwitchboardClientException> onProblem) {
        long tried = System.nanoTime();
        try {
            while (true) {
                long wait = Math.max(job.renewedAt(), tried) + every - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait); // then look again: the handler may have renewed meanwhile
                    continue;
                }
                tried = System.nanoTime();
                try {
                    job.heartbeat();
                } catch (JobCancelledException | JobLeaseLostException e) {
                    return; // the job has it; its handler hears of it
                } catch (SwitchboardClientException e) {
                    if (Thread.interrupted()) {
                        return; // stopped while the heartbeat was in flight
                    }
                    if (!e.retryable()) {
                        onProblem.accept(e);
                    }
                }
            }
        } catch (InterruptedException e) {
            // stopped: the handler returned
        }
    }

    /** Stops renewing and waits for the keeper to end; a heartbeat in flight is hung up. */
    void stop() {
        if (thread == null) {
            return;
        }
        thread.interrupt();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
