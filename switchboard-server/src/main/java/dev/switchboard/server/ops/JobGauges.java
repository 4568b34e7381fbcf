package dev.switchboard.server.ops;

import dev.switchboard.core.jobs.JobMetrics;
import dev.switchboard.core.jobs.Jobs;
import dev.switchboard.core.store.Job;
import dev.switchboard.core.store.JobState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Job metrics: submissions, claim latency (due → claimed) and run time per attempt by type and
 * outcome, and jobs by type and state (the queue depth is the {@code queued} gauge), read from the
 * store every few seconds so a scrape never waits for I/O.
 */
final class JobGauges implements JobMetrics {
    private static final Logger LOG = Logger.getLogger(JobGauges.class.getName());
    private static final long REFRESH_MILLIS = 2_000;

    private final MeterRegistry registry;
    private final Map<String, Long> byTypeAndState = new ConcurrentHashMap<>();
    // Meters found once per type (and outcome): a registry lookup builds its tags and id on every call,
    // and these run three times per job.
    private final Map<String, Counter> submitted = new ConcurrentHashMap<>();
    private final Map<String, Timer> claimLatency = new ConcurrentHashMap<>();
    private final Map<JobState, Map<String, Timer>> runTime = new ConcurrentHashMap<>();
    private ScheduledExecutorService refresher;

    JobGauges(MeterRegistry registry) {
        this.registry = registry;
    }

    synchronized void refreshFrom(Jobs jobs) {
        refresher = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("sb-job-gauges").factory());
        refresher.scheduleWithFixedDelay(() -> refresh(jobs), 0, REFRESH_MILLIS, TimeUnit.MILLISECONDS);
    }

    synchronized void stop() {
        if (refresher != null) {
            refresher.shutdownNow();
        }
    }

    @Override
    public void submitted(String type) {
        submitted.computeIfAbsent(type, t -> Counter.builder("switchboard.jobs.submitted").description("jobs submitted")
                .tag("type", t).register(registry)).increment();
    }

    @Override
    public void claimed(String type, long waitedMillis) {
        claimLatency.computeIfAbsent(type, t -> Timer.builder("switchboard.jobs.claim.latency")
                .description("time from a job being due to a worker claiming it").tag("type", t).register(registry))
                .record(waitedMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void attemptEnded(Job job, long ranMillis) {
        JobState state = job.state();
        runTime.computeIfAbsent(state, s -> new ConcurrentHashMap<>())
                .computeIfAbsent(job.type(), t -> Timer.builder("switchboard.jobs.run")
                        .description("run time of one attempt, by how the job stood after it")
                        .tag("type", t).tag("status", state.wire()).register(registry))
                .record(ranMillis, TimeUnit.MILLISECONDS);
    }

    private void refresh(Jobs jobs) {
        try {
            Map<String, Map<JobState, Long>> counts = jobs.counts().get(10, TimeUnit.SECONDS);
            byTypeAndState.replaceAll((key, old) -> 0L);
            counts.forEach((type, states) -> states.forEach((state, n) -> {
                String key = type + '\n' + state.wire();
                if (byTypeAndState.put(key, n) == null) {
                    for (JobState s : JobState.values()) {
                        register(type, s);
                    }
                }
            }));
        } catch (Exception e) {
            LOG.log(Level.FINE, "refreshing job gauges failed; the last values stay", e);
        }
    }

    private void register(String type, JobState state) {
        String key = type + '\n' + state.wire();
        byTypeAndState.putIfAbsent(key, 0L);
        Gauge.builder("switchboard.jobs", byTypeAndState, m -> m.getOrDefault(key, 0L)).description("jobs by type and status")
                .tag("type", type).tag("status", state.wire()).register(registry);
    }
}
