package dev.switchboard.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.client.Job;
import dev.switchboard.client.JobClaim;
import dev.switchboard.client.JobHandler;
import dev.switchboard.client.JobLeaseLostException;
import dev.switchboard.client.JobWorker;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.client.SwitchboardClientException;
import dev.switchboard.client.WorkOptions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The loop behind every {@link JobWorker}: a claimer that asks for as many jobs as there are free slots
 * ({@link WorkOptions#concurrency()}, up to {@value #MAX_CLAIM} in one long-poll claim; 204 = ask again), and a
 * virtual thread per claimed job that runs the handler while a {@link LeaseKeeper} renews the lease → completes with
 * its value, or fails with its exception's message (retry), unless the job was lost meanwhile (cancelled, lease
 * refused) → frees its slot. One claim for many jobs saves a request per job when the queue is full. A claim that
 * fails retryably waits a jittered backoff; one refused for good ends the worker. Not API.
 */
public final class WorkerLoop implements JobWorker {
    /** The server keeps at most this many characters of a failure's message. */
    private static final int MAX_ERROR = 1_000;
    /** The most jobs the server hands out in one claim. */
    static final int MAX_CLAIM = 100;

    private final SwitchboardClient client;
    private final String type;
    private final WorkOptions options;
    private final JobHandler handler;
    private final Consumer<JobWorker> onEnd;
    private final Backoff backoff;
    private final Thread claimer;
    private final Semaphore freeSlots;
    private final Set<Thread> jobThreads = ConcurrentHashMap.newKeySet();
    private final Set<CompletableFuture<?>> claims = ConcurrentHashMap.newKeySet();
    private final Set<LeaseKeeper> keepers = ConcurrentHashMap.newKeySet();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicReference<Throwable> cause = new AtomicReference<>();
    private final AtomicLong handled = new AtomicLong();
    private volatile boolean open = true;

    public WorkerLoop(SwitchboardClient client, String type, WorkOptions options, JobHandler handler, Consumer<JobWorker> onEnd) {
        this.client = client;
        this.type = type;
        this.options = options;
        this.handler = handler;
        this.onEnd = onEnd;
        this.backoff = new Backoff(options.minBackoff(), options.maxBackoff());
        this.freeSlots = new Semaphore(options.concurrency());
        this.claimer = Thread.ofVirtual().name("sb-client-worker-" + type).unstarted(this::claimLoop);
    }

    public void start() {
        claimer.start();
    }

    private void claimLoop() {
        LongPollWait claimWait = new LongPollWait(options.claimWait());
        int failures = 0;
        try {
            while (open) {
                int slots = takeFreeSlots();
                if (!open) {
                    freeSlots.release(slots);
                    break;
                }
                CompletableFuture<List<JobClaim>> call = client.claimAsync(type, slots, claimWait.get(), options.lease());
                claims.add(call);
                if (!open) {
                    call.cancel(true); // close() ran between the check and the add
                }
                List<JobClaim> claimed;
                try {
                    claimed = Requests.await(call);
                } catch (CancellationException e) {
                    freeSlots.release(slots);
                    break; // closed: the hang-up gives jobs claimed meanwhile back to the queue
                } catch (SwitchboardClientException e) {
                    freeSlots.release(slots);
                    if (!open) {
                        break;
                    }
                    if (claimWait.shortenedFor(e)) {
                        continue;
                    }
                    if (!e.retryable()) {
                        end(e);
                        break;
                    }
                    Duration delay = backoff.delay(failures++);
                    handler.onReconnecting(e, delay);
                    stopped.await(delay.toMillis(), TimeUnit.MILLISECONDS);
                    continue;
                } finally {
                    claims.remove(call);
                }
                failures = 0;
                freeSlots.release(slots - claimed.size());
                claimed.forEach(this::startJob);
            }
        } catch (InterruptedException e) {
            // closed while waiting for a free slot or to claim again
        } catch (RuntimeException | Error e) {
            end(open ? e : null); // a client closed under the worker
        }
        freeSlots.acquireUninterruptibly(options.concurrency()); // the jobs still running end first (close() bounds them)
        open = false;
        onEnd.accept(this);
        handler.onEnd(cause.get());
    }

    /** Waits for a free slot, then takes every other one free now, up to a claim's worth. */
    private int takeFreeSlots() throws InterruptedException {
        freeSlots.acquire();
        int slots = 1 + freeSlots.drainPermits();
        int over = Math.max(0, slots - MAX_CLAIM);
        freeSlots.release(over);
        return slots - over;
    }

    private void startJob(JobClaim claim) {
        Thread thread = Thread.ofVirtual().name("sb-client-job-" + type).unstarted(() -> {
            try {
                run(claim);
            } catch (RuntimeException | Error e) {
                end(open ? e : null); // an Error from the handler, or a client closed under the worker
            } finally {
                jobThreads.remove(Thread.currentThread());
                freeSlots.release();
            }
        });
        jobThreads.add(thread);
        thread.start();
    }

    /**
     * One job: the handler (its lease kept meanwhile), then the call its ending asks for — none when the job was
     * lost while it ran (cancelled, or the lease refused: given to {@code onProblem}). A handler's {@link Error}
     * fails the job and ends the worker.
     */
    private void run(JobClaim claim) {
        RunningJob job = new RunningJob(client, claim, Thread.currentThread());
        LeaseKeeper keeper = keeperFor(job);
        JsonNode result = null;
        Throwable failure = null;
        try {
            result = Json.tree(handler.handle(job)); // a result Jackson cannot write fails the job
        } catch (Exception | Error e) {
            failure = e;
        }
        RuntimeException lost = job.finish();
        keeper.stop();
        keepers.remove(keeper);
        Thread.interrupted(); // interrupted because the job was lost, or by close(): either way it still reports how it ended
        if (lost instanceof JobLeaseLostException l) {
            handler.onProblem(l.refusal());
        } else if (lost == null) {
            settle(claim, result, failure);
        }
        if (failure instanceof Error e) {
            throw e;
        }
        handled.incrementAndGet();
    }

    /** A started keeper (known to close()), or {@link LeaseKeeper#OFF} when the options turn auto heartbeats off. */
    private LeaseKeeper keeperFor(RunningJob job) {
        if (!options.autoHeartbeat()) {
            return LeaseKeeper.OFF;
        }
        LeaseKeeper keeper = LeaseKeeper.start(job, heartbeatEvery(job.claim()), handler::onProblem);
        keepers.add(keeper);
        return keeper;
    }

    /** The keeper's pace: as asked, else a third of the lease the server granted (both ends on its clock). */
    private Duration heartbeatEvery(JobClaim claim) {
        if (options.heartbeatEvery() != null) {
            return options.heartbeatEvery();
        }
        Duration lease = Duration.between(claim.job().started(), claim.leaseUntil());
        return lease.isPositive() ? lease.dividedBy(3) : Duration.ofMillis(1);
    }

    /**
     * Sends the complete (no {@code failure}) or the fail, again after a backoff while the server is unreachable and
     * the worker open (past its lease the server refuses it and the job is retried anyway); a refusal goes to
     * {@code onProblem}.
     */
    private void settle(JobClaim claim, JsonNode result, Throwable failure) {
        String id = claim.job().id();
        Supplier<CompletableFuture<Job>> call = failure == null ? () -> client.completeAsync(id, claim.lease(), result)
                : () -> client.failAsync(id, claim.lease(), message(failure), true);
        for (int failures = 0; ; failures++) {
            try {
                Requests.await(call.get());
                return;
            } catch (SwitchboardClientException e) {
                if (!e.retryable() || !open) {
                    handler.onProblem(e);
                    return;
                }
                try {
                    stopped.await(backoff.delay(failures).toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException interrupted) {
                    handler.onProblem(e);
                    return;
                }
            }
        }
    }

    private static String message(Throwable e) {
        String m = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getName() : e.getMessage();
        return m.length() <= MAX_ERROR ? m : m.substring(0, MAX_ERROR);
    }

    private void end(Throwable why) {
        cause.compareAndSet(null, why);
        open = false;
        stopped.countDown();
        claims.forEach(c -> c.cancel(true));
    }

    // ---- JobWorker

    @Override
    public String type() {
        return type;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public long handled() {
        return handled.get();
    }

    @Override
    public void close() {
        open = false;
        stopped.countDown();
        claims.forEach(c -> c.cancel(true));
        if (Thread.currentThread() == claimer || jobThreads.contains(Thread.currentThread())) {
            return; // a handler (or a callback of the claimer) closed its own worker: it ends after this
        }
        long graceEnd = System.nanoTime() + options.stopGrace().toNanos();
        try {
            if (!claimer.join(Duration.ofNanos(Math.max(0, graceEnd - System.nanoTime())))) {
                keepers.forEach(LeaseKeeper::stop); // a handler deaf to the interrupt keeps its job no longer than the lease
                jobThreads.forEach(Thread::interrupt);
                claimer.interrupt();
                claimer.join(Duration.ofSeconds(5));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
