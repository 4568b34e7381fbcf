package dev.switchboard.core.jobs;

import static dev.switchboard.core.jobs.JobChecks.found;
import static dev.switchboard.core.jobs.JobChecks.requireId;

import dev.switchboard.core.config.JobSettings;
import dev.switchboard.core.error.ErrorCode;
import dev.switchboard.core.error.SwitchboardException;
import dev.switchboard.core.hub.TopicSignals;
import dev.switchboard.core.hub.Wakeup;
import dev.switchboard.core.store.AppendRequest;
import dev.switchboard.core.store.Appended;
import dev.switchboard.core.store.Durability;
import dev.switchboard.core.store.Job;
import dev.switchboard.core.store.JobClaim;
import dev.switchboard.core.store.JobDraft;
import dev.switchboard.core.store.JobState;
import dev.switchboard.core.store.JobStore;
import dev.switchboard.core.store.Submitted;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Async jobs for every transport: validate → one store step → an event on {@code _jobs/{id}} → answer.
 * Each call returns at once and runs on a virtual thread; waits (status long polls, claims) park
 * their virtual thread until the job's topic or the type's queue is signalled, or a second passes
 * (what a change made on another node needs), then look again.
 *
 * <p>A sweeper ends leases that ran out (the job is queued again, or fails) and removes finished
 * jobs after {@code job-retention}. In-process handlers registered with {@link #handle} claim like
 * remote workers do.
 *
 * <p>A little over 400 lines: each operation is the same four steps over the same store, signals and
 * event publisher, and splitting them by operation would spread that sequence over several classes. What
 * is refused before the store is asked lives in {@link JobChecks}, the in-process claim loop in
 * {@link InProcessWorkers}.
 */
public final class Jobs implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Jobs.class.getName());
    static final long RECHECK_MILLIS = 1_000;
    private static final long SWEEP_MILLIS = 250;
    private static final long PURGE_MILLIS = 60_000;
    private static final int MAX_ERROR = 2_000;
    /** The most jobs one claim takes: a batch stays one short statement, and one worker cannot hoard a queue. */
    public static final int MAX_CLAIM = 100;
    /** The most jobs one batch submit takes: one transaction, and one answer, of a bounded size. */
    public static final int MAX_SUBMIT_BATCH = 1_000;

    private final JobStore store;
    private final JobSettings settings;
    private final JobChecks checks;
    private final ExecutorService blocking;
    private final TopicSignals signals;
    private final Function<AppendRequest, CompletableFuture<Appended>> publish;
    private final Consumer<List<String>> dropTopics;
    private final JobEvents events;
    private final JobMetrics metrics;
    private final Backoff backoff;
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("sb-job-sweeper").factory());
    private volatile boolean closed;
    private long lastPurge;
    private boolean sweepFailing; // sweeper thread only

    /**
     * @param publish    appends to the reserved topics {@code _jobs/{id}}
     * @param dropTopics removes the topics of purged jobs
     */
    public Jobs(JobStore store, JobSettings settings, Duration maxWait, ExecutorService blocking, TopicSignals signals,
            Function<AppendRequest, CompletableFuture<Appended>> publish, Consumer<List<String>> dropTopics, JobEvents events,
            JobMetrics metrics) {
        this.store = store;
        this.settings = settings;
        this.checks = new JobChecks(settings, maxWait);
        this.blocking = blocking;
        this.signals = signals;
        this.publish = publish;
        this.dropTopics = dropTopics;
        this.events = events;
        this.metrics = metrics;
        this.backoff = new Backoff(settings.backoff(), settings.maxBackoff());
        // On the sweeper's own thread, so a slow store (an outage) delays the next sweep instead of piling sweeps up.
        sweeper.scheduleWithFixedDelay(this::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    }

    public JobSettings settings() {
        return settings;
    }

    public CompletableFuture<Submitted> submit(JobRequest r) {
        JobDraft draft;
        try {
            draft = checks.draft(r);
        } catch (SwitchboardException e) {
            return CompletableFuture.failedFuture(e);
        }
        return run("submit of a '" + r.type() + "' job", () -> {
            Submitted s = store.submit(draft, System.currentTimeMillis());
            if (s.created()) {
                metrics.submitted(draft.type());
                changed(s.job());
                signals.wakeOne(queueOf(draft.type()));
            }
            return s;
        });
    }

    /**
     * Submits every request in one store step (all or none), answering in request order; an idempotency key
     * repeated in the batch answers the job its first use made. Every request is checked first: one
     * invalid, none or more than {@link #MAX_SUBMIT_BATCH} refuses the whole batch (BAD_REQUEST).
     */
    public CompletableFuture<List<Submitted>> submitAll(List<JobRequest> requests) {
        List<JobDraft> drafts;
        try {
            drafts = checks.drafts(requests);
        } catch (SwitchboardException e) {
            return CompletableFuture.failedFuture(e);
        }
        return run("submit of " + drafts.size() + " jobs", () -> {
            List<Submitted> all = store.submitAll(drafts, System.currentTimeMillis());
            Set<String> types = new LinkedHashSet<>();
            for (Submitted s : all) {
                if (s.created()) {
                    metrics.submitted(s.job().type());
                    changed(s.job());
                    types.add(s.job().type());
                }
            }
            // One waiter per type: a claimer that finds more wakes the next one itself.
            types.forEach(type -> signals.wakeOne(queueOf(type)));
            return all;
        });
    }

    /** Refuses (BAD_REQUEST) what {@link #submit} would refuse, for a caller that names a bad request in its own terms. */
    public void check(JobRequest r) {
        checks.draft(r);
    }

    /** The job; NOT_FOUND when there is none with this id. */
    public CompletableFuture<Job> get(String id) {
        return run("status of job '" + id + "'", () -> found(id, store.get(requireId(id))));
    }

    /**
     * Waits up to {@code wait} for the job to change past {@code afterVersion} (null: to finish), then
     * answers with the job as it is (changed or not).
     */
    public CompletableFuture<Job> await(String id, Long afterVersion, Duration wait) {
        try {
            requireId(id);
            checks.requireWait(wait);
        } catch (SwitchboardException e) {
            return CompletableFuture.failedFuture(e);
        }
        return run("waiting on job '" + id + "'", () -> awaitBlocking(id, afterVersion, System.currentTimeMillis() + wait.toMillis()));
    }

    /**
     * Long-poll claim: up to {@code max} of the oldest due jobs of {@code type}, each leased for
     * {@code lease} (null: the default), waiting up to {@code wait} for at least one. Completes empty when
     * the wait ended first; cancelling it (the worker went away) gives back jobs claimed in the meantime.
     */
    public CompletableFuture<List<JobClaim>> claim(String type, int max, Duration lease, Duration wait) {
        Duration leaseFor;
        try {
            leaseFor = checks.claimLease(type, max, lease, wait);
        } catch (SwitchboardException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<List<JobClaim>> answer = new CompletableFuture<>();
        blocking.execute(() -> {
            try {
                List<JobClaim> claims = claimBlocking(type, max, leaseFor, System.currentTimeMillis() + wait.toMillis(), answer);
                if (!answer.complete(claims)) {
                    claims.forEach(this::giveBack);
                }
            } catch (RuntimeException | InterruptedException e) {
                answer.completeExceptionally(SwitchboardException.fromStore("claim of a '" + type + "' job", e));
            }
        });
        return answer;
    }

    public CompletableFuture<Job> heartbeat(String id, String lease) {
        return workerStep("heartbeat", id, lease, now -> {
            Job job = store.heartbeat(id, lease, now);
            if (job.state() != JobState.RUNNING) {
                changed(job); // cancelled at the worker's heartbeat; a plain heartbeat changes nothing a follower sees
            }
            return job;
        });
    }

    public CompletableFuture<Job> progress(String id, String lease, int percent, String message) {
        if (percent < 0 || percent > 100) {
            return CompletableFuture.failedFuture(new SwitchboardException(ErrorCode.BAD_REQUEST, "percent=" + percent
                    + " is out of range: 0 to 100"));
        }
        return workerStep("progress", id, lease, now -> changed(store.progress(id, lease, percent, message, now)));
    }

    public CompletableFuture<Job> complete(String id, String lease, String resultType, byte[] result) {
        return workerStep("complete", id, lease, now -> changed(ended(store.complete(id, lease, resultType, result, now), now)));
    }

    /** @param retry false fails the job now, whatever attempts are left */
    public CompletableFuture<Job> fail(String id, String lease, String error, boolean retry) {
        String cut = error == null ? "failed without a message" : error.length() > MAX_ERROR ? error.substring(0, MAX_ERROR) + "…" : error;
        return workerStep("fail", id, lease, now -> {
            Job before = store.get(id);
            long retryAt = retry && before != null ? now + backoff.delayMillis(before.attempt()) : -1;
            Job after = changed(ended(store.fail(id, lease, cut, retryAt, now), now));
            if (after.state() == JobState.QUEUED) {
                signals.wakeOne(queueOf(after.type()));
            }
            return after;
        });
    }

    /** Cancels: a queued job at once, a running one at its worker's next heartbeat or progress. */
    public CompletableFuture<Job> cancel(String id) {
        return run("cancel of job '" + id + "'", () -> {
            Job before = found(id, store.get(requireId(id)));
            Job after = found(id, store.cancel(id, System.currentTimeMillis()));
            if (after.version() != before.version()) {
                changed(after);
            }
            return after;
        });
    }

    /** Jobs by type, then by state (for metrics). */
    public CompletableFuture<java.util.Map<String, java.util.Map<JobState, Long>>> counts() {
        return run("counting jobs", store::counts);
    }

    /**
     * Runs {@code handler} for every job of {@code type}, at most {@code concurrency} at once, each on a
     * virtual thread of this process, until {@link #close}: the in-process face of the same queue remote
     * workers claim from. One claimer per call takes as many jobs as there are free slots in one claim.
     */
    public void handle(String type, int concurrency, JobHandler handler) {
        JobChecks.requireType(type);
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1: " + concurrency);
        }
        Thread.ofVirtual().name("sb-jobs-" + type).start(new InProcessWorkers(this, type, concurrency, handler));
    }

    boolean isClosed() {
        return closed;
    }

    /** For in-process workers: claims up to {@code max}, waiting up to a few seconds, on the calling (virtual) thread. */
    List<JobClaim> claimForWorkers(String type, int max) throws InterruptedException {
        return claimBlocking(type, max, settings.lease(), System.currentTimeMillis() + 5_000, null);
    }

    @Override
    public void close() {
        closed = true;
        sweeper.shutdownNow();
    }

    private List<JobClaim> claimBlocking(String type, int max, Duration lease, long deadline, CompletableFuture<?> answer)
            throws InterruptedException {
        Wakeup wakeup = new Wakeup();
        String queue = queueOf(type);
        signals.register(queue, wakeup);
        if (answer != null) {
            answer.whenComplete((c, e) -> wakeup.wake()); // a worker that hangs up ends the wait at once
        }
        try {
            while (true) {
                if (answer != null && answer.isDone()) {
                    signals.unregister(queue, wakeup);
                    signals.wakeOne(queue); // a submit may have woken this one: pass it on to a worker still waiting
                    return List.of();
                }
                long now = System.currentTimeMillis();
                List<JobClaim> claims = store.claim(type, max, lease.toMillis(), now);
                if (!claims.isEmpty()) {
                    signals.unregister(queue, wakeup);
                    signals.wakeOne(queue); // there may be more: the next waiter looks (one at a time, not a stampede)
                    for (JobClaim claim : claims) {
                        Job j = claim.job();
                        metrics.claimed(type, Math.max(0, now - Math.max(j.runAtMillis(), j.createdMillis())));
                        changed(j);
                    }
                    return claims;
                }
                if (now >= deadline || closed || (answer != null && answer.isDone())) {
                    return List.of();
                }
                wakeup.await(Math.min(deadline, Math.min(store.nextDue(type), now + RECHECK_MILLIS)));
            }
        } finally {
            signals.unregister(queue, wakeup);
        }
    }

    private Job awaitBlocking(String id, Long afterVersion, long deadline) {
        Wakeup wakeup = new Wakeup();
        String topic = JobEvents.topicOf(id);
        signals.register(topic, wakeup);
        try {
            while (true) {
                Job job = found(id, store.get(id));
                boolean changed = afterVersion != null ? job.version() > afterVersion : job.state().terminal();
                long now = System.currentTimeMillis();
                if (changed || now >= deadline || closed) {
                    return job;
                }
                wakeup.await(Math.min(deadline, now + RECHECK_MILLIS));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SwitchboardException(ErrorCode.SHUTTING_DOWN, "waiting on job '" + id + "' was interrupted");
        } finally {
            signals.unregister(topic, wakeup);
        }
    }

    /**
     * The worker that claimed went away in the instant between the claim and the answer: queue the job
     * again at once (no backoff). The attempt stays counted: the job was handed out.
     */
    private void giveBack(JobClaim claim) {
        workerStep("give-back", claim.job().id(), claim.lease(), now -> {
            Job after = changed(ended(store.fail(claim.job().id(), claim.lease(), "the claiming worker went away before it got the job",
                    now, now), now));
            signals.wakeOne(queueOf(after.type()));
            return after;
        }).exceptionally(e -> null);
    }

    private interface Step {
        Job apply(long nowMillis);
    }

    private CompletableFuture<Job> workerStep(String what, String id, String lease, Step step) {
        try {
            requireId(id);
            if (lease == null || lease.isBlank()) {
                throw new SwitchboardException(ErrorCode.BAD_REQUEST, "\"lease\" is required: the token the claim answered with");
            }
        } catch (SwitchboardException e) {
            return CompletableFuture.failedFuture(e);
        }
        return run(what + " of job '" + id + "'", () -> step.apply(System.currentTimeMillis()));
    }

    private Job ended(Job job, long now) {
        metrics.attemptEnded(job, Math.max(0, now - job.startedMillis()));
        return job;
    }

    /**
     * Appends the job's event to {@code _jobs/{id}} without waiting for it: the record is the truth
     * (answers and status reads come from it), and a caller must not pay a second commit for the event.
     * Waiters on the job are woken when the event commits. Returns {@code job}.
     */
    private Job changed(Job job) {
        publish.apply(new AppendRequest(JobEvents.topicOf(job.id()), List.of(events.of(job)), Durability.ASYNC, null))
                .exceptionally(e -> {
                    LOG.log(Level.WARNING, "event of job '" + job.id() + "' (version " + job.version() + ") was not appended; the"
                            + " job's record has the change", e);
                    return null;
                });
        return job;
    }

    private void sweep() {
        try {
            long now = System.currentTimeMillis();
            for (Job j : store.expireLeases(now)) {
                metrics.attemptEnded(j, Math.max(0, now - j.startedMillis()));
                changed(j);
                signals.wakeOne(queueOf(j.type()));
            }
            if (now - lastPurge >= PURGE_MILLIS) {
                lastPurge = now;
                List<String> purged = store.purgeFinished(now - settings.retention().toMillis());
                dropTopics.accept(purged.stream().map(JobEvents::topicOf).toList()); // their events go with them
                if (!purged.isEmpty()) {
                    LOG.fine(() -> "removed " + purged.size() + " jobs finished more than " + settings.retention() + " ago");
                }
            }
            if (sweepFailing) {
                sweepFailing = false;
                LOG.info("job sweep works again: expired leases are being ended");
            }
        } catch (RuntimeException e) {
            if (!closed && !sweepFailing) {
                // once per outage, not every 250 ms for as long as the store is down
                LOG.log(Level.WARNING, "job sweep failed; retrying every " + SWEEP_MILLIS + "ms until the store answers", e);
            }
            sweepFailing = true;
        }
    }

    private <T> CompletableFuture<T> run(String what, Supplier<T> step) {
        try {
            return CompletableFuture.supplyAsync(step, blocking)
                    .exceptionallyCompose(e -> CompletableFuture.failedFuture(SwitchboardException.fromStore(what, e)));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new SwitchboardException(ErrorCode.SHUTTING_DOWN, what + " refused: the server is stopping"));
        }
    }

    private static String queueOf(String type) {
        return "_jobq/" + type; // a wake-up key only: no topic has this name
    }
}
