package dev.switchboard.server.ops;

import dev.switchboard.core.groups.GroupMetrics;
import dev.switchboard.core.groups.Groups;
import dev.switchboard.core.jobs.JobMetrics;
import dev.switchboard.core.jobs.Jobs;
import dev.switchboard.core.store.StoreMetrics;
import dev.switchboard.store.postgres.PoolMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * Every metric the server exports, by transport where that matters. Transports call the
 * {@code on*} methods; {@code /metrics} renders {@link #scrape()}.
 */
public final class ServerMetrics implements StoreMetrics, PoolMetrics {
    public static final String HTTP = "http";
    public static final String SSE = "sse";
    public static final String WS = "ws";
    public static final String LONG_POLL = "long-poll";
    public static final String SHORT_POLL = "short-poll";
    public static final String GROUP_FETCH = "group-fetch";
    public static final String GROUP_WS = "group-ws";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, Counter> published = new ConcurrentHashMap<>();
    private final Map<String, Counter> delivered = new ConcurrentHashMap<>();
    private final Map<String, Counter> slowConsumers = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> connections = new ConcurrentHashMap<>();
    private final DistributionSummary commitBatch;
    private final Timer commitLatency;
    private final Timer poolAcquire;
    private final Counter poolExhausted;
    private final GroupGauges groups;
    private final JobGauges jobs;

    public ServerMetrics() {
        commitBatch = DistributionSummary.builder("switchboard.store.commit.batch")
                .description("messages per group commit").baseUnit("messages").register(registry);
        commitLatency = Timer.builder("switchboard.store.commit")
                .description("time to commit one batch, fsync included").register(registry);
        // Registered by every store so dashboards need no per-store variant; stay at zero without a pool.
        poolAcquire = Timer.builder("switchboard.store.pool.acquire")
                .description("time to get a pooled database connection (store=postgres)").register(registry);
        poolExhausted = Counter.builder("switchboard.store.pool.exhausted")
                .description("callers refused because no pooled connection came free in time").register(registry);
        groups = new GroupGauges(registry);
        jobs = new JobGauges(registry);
        for (String t : new String[] {HTTP, SSE, WS, LONG_POLL, SHORT_POLL}) {
            published(t);
            delivered(t);
            slowConsumers(t);
            connections(t);
        }
    }

    /** What consumer groups count; hand it to the hub. */
    public GroupMetrics groups() {
        return groups;
    }

    /** What jobs count; hand it to the hub. */
    public JobMetrics jobs() {
        return jobs;
    }

    /** Starts the per-group and per-job-type gauges, read every few seconds until {@link #stop}. */
    public void watch(Groups groupSource, Jobs jobSource) {
        groups.refreshFrom(groupSource);
        jobs.refreshFrom(jobSource);
    }

    public void stop() {
        groups.stop();
        jobs.stop();
    }

    /** Open TCP connections as counted by the connection cap. */
    public void bindOpenConnections(IntSupplier open) {
        Gauge.builder("switchboard.connections.open", open::getAsInt).description("open TCP connections").register(registry);
    }

    public void onPublished(String transport, int messages) {
        published(transport).increment(messages);
    }

    public void onDelivered(String transport, int messages) {
        delivered(transport).increment(messages);
    }

    public void onSlowConsumer(String transport) {
        slowConsumers(transport).increment();
    }

    public void onSessionOpened(String transport) {
        connections(transport).incrementAndGet();
    }

    public void onSessionClosed(String transport) {
        connections(transport).decrementAndGet();
    }

    @Override
    public void committed(int requests, int messages, long nanos) {
        commitBatch.record(messages);
        commitLatency.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void bindPool(IntSupplier active, IntSupplier idle, IntSupplier pending) {
        poolGauge("active", active, "connections lent out");
        poolGauge("idle", idle, "connections open and free");
        poolGauge("pending", pending, "callers waiting for a connection");
    }

    @Override
    public void acquired(long nanos) {
        poolAcquire.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void exhausted() {
        poolExhausted.increment();
    }

    private void poolGauge(String state, IntSupplier value, String description) {
        Gauge.builder("switchboard.store.pool.connections", value::getAsInt).description("pooled database connections: " + description)
                .tag("state", state).register(registry);
    }

    public String scrape() {
        return registry.scrape();
    }

    private Counter published(String transport) {
        return published.computeIfAbsent(transport, t -> Counter.builder("switchboard.publishes")
                .description("messages published").tag("transport", t).register(registry));
    }

    private Counter delivered(String transport) {
        return delivered.computeIfAbsent(transport, t -> Counter.builder("switchboard.deliveries")
                .description("messages delivered to subscribers").tag("transport", t).register(registry));
    }

    private Counter slowConsumers(String transport) {
        return slowConsumers.computeIfAbsent(transport, t -> Counter.builder("switchboard.slow.consumer.closes")
                .description("sessions closed because their outbound budget ran out").tag("transport", t).register(registry));
    }

    private AtomicInteger connections(String transport) {
        return connections.computeIfAbsent(transport, t -> {
            AtomicInteger n = new AtomicInteger();
            Gauge.builder("switchboard.sessions", n, AtomicInteger::get)
                    .description("open streaming sessions").tag("transport", t).register(registry);
            return n;
        });
    }
}
