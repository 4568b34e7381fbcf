package dev.switchboard.client.internal;

import dev.switchboard.client.Job;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.client.SwitchboardClientException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * {@link SwitchboardClient#awaitJobAsync}: long polls on the job until it finishes or the deadline passes, each
 * asking for what is left (at most 30 s), retrying retryable failures with jittered backoff while time is left. No
 * thread is held between polls; cancelling the answer hangs up the poll in flight. Not API.
 */
public final class JobAwait {
    private static final Duration MAX_POLL = Duration.ofSeconds(30);

    private final SwitchboardClient client;
    private final String id;
    private final long deadline; // System.nanoTime()
    private final CompletableFuture<Job> answer = new CompletableFuture<>();
    private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));
    private final LongPollWait pollWait = new LongPollWait(MAX_POLL);
    private volatile CompletableFuture<Job> current = CompletableFuture.completedFuture(null);
    private int failures; // touched by one poll's completion at a time

    private JobAwait(SwitchboardClient client, String id, Duration timeout) {
        this.client = client;
        this.id = id;
        this.deadline = System.nanoTime() + timeout.toNanos();
    }

    public static CompletableFuture<Job> start(SwitchboardClient client, String id, Duration timeout) {
        if (timeout == null || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be >= 0, got " + timeout);
        }
        JobAwait await = new JobAwait(client, id, timeout);
        await.answer.whenComplete((j, e) -> {
            if (await.answer.isCancelled()) {
                await.current.cancel(true);
            }
        });
        await.poll();
        return await.answer;
    }

    private void poll() {
        if (answer.isDone()) {
            return;
        }
        long leftMillis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        Duration wait = leftMillis < 1 ? null : Duration.ofMillis(Math.min(leftMillis, pollWait.get().toMillis()));
        try {
            CompletableFuture<Job> call = client.jobAsync(id, wait, null);
            current = call;
            call.whenComplete(this::answered);
        } catch (RuntimeException e) { // e.g. the client was closed: fail, rather than leave the answer hanging
            answer.completeExceptionally(unwrap(e));
        }
    }

    private void answered(Job job, Throwable error) {
        if (answer.isDone()) {
            return;
        }
        boolean timeLeft = deadline - System.nanoTime() > 0;
        if (error == null) {
            failures = 0;
            if (job.isFinished() || !timeLeft) {
                answer.complete(job);
            } else {
                poll();
            }
            return;
        }
        SwitchboardClientException e = unwrap(error);
        if (timeLeft && pollWait.shortenedFor(e)) {
            poll();
            return;
        }
        Duration delay = backoff.delay(failures++);
        if (!e.retryable() || deadline - System.nanoTime() - delay.toNanos() <= 0) {
            answer.completeExceptionally(e);
            return;
        }
        CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS).execute(this::poll);
    }

    private static SwitchboardClientException unwrap(Throwable error) {
        Throwable c = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return c instanceof SwitchboardClientException s ? s : SwitchboardClientException.transport("waiting on a job", c);
    }
}
