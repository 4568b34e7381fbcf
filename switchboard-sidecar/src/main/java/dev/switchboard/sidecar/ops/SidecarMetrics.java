package dev.switchboard.sidecar.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/** What the sidecar counts; {@code /metrics} on the control port renders {@link #scrape()}. */
public final class SidecarMetrics {
    public static final String HOLD_STREAM = "stream";
    public static final String HOLD_RESPONSE = "response";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<Integer, Counter> responses = new ConcurrentHashMap<>(); // by status / 100: Integer's cache, no boxing garbage
    private final Map<String, Counter> upstreamErrors = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> holds = new ConcurrentHashMap<>();
    private final Map<String, Counter> cache = new ConcurrentHashMap<>();
    private final AtomicInteger tunnels = new AtomicInteger();
    private final Counter accessLogDropped;
    private final Timer upstreamLatency;
    private final RouteLabels routes;
    private final Map<String, Map<String, RouteMeters>> requestMeters = new ConcurrentHashMap<>(); // method → route → meters

    /** @param routePrefixes the {@code route} label's values (empty: the path's first segment, see {@link RouteLabels}) */
    public SidecarMetrics(List<String> routePrefixes) {
        this.routes = new RouteLabels(routePrefixes);
        this.accessLogDropped = Counter.builder("switchboard.sidecar.access.log.dropped")
                .description("access log lines dropped because the log's writer fell behind").register(registry);
        upstreamLatency = Timer.builder("switchboard.sidecar.upstream.latency")
                .description("from sending a request upstream to its response head").register(registry);
        Gauge.builder("switchboard.sidecar.websockets", tunnels, AtomicInteger::get)
                .description("WebSocket connections spliced through to the upstream").register(registry);
        for (String kind : new String[] {HOLD_STREAM, HOLD_RESPONSE}) {
            holds(kind);
        }
    }

    /** Pool gauges: active (lent out), idle (open and free), pending (requests waiting for one). */
    public void bindPool(IntSupplier active, IntSupplier idle, IntSupplier pending) {
        poolGauge("active", active);
        poolGauge("idle", idle);
        poolGauge("pending", pending);
    }

    /**
     * One request answered: counted by method, route and status, timed by method and route from its head
     * to its end. {@code upstreamNanos}: to the upstream's response head, or -1 without one (a cache hit, an error).
     */
    public void onRequest(String method, String uri, int status, long upstreamNanos, long totalNanos) {
        RouteMeters meters = meters(RouteLabels.method(method), routes.of(uri));
        meters.status(status).increment();
        meters.duration.record(totalNanos, TimeUnit.NANOSECONDS);
        onResponse(status, upstreamNanos);
    }

    // Looked up without building a key per request (a concatenated String key was most of what counting allocated).
    private RouteMeters meters(String method, String route) {
        Map<String, RouteMeters> byRoute = requestMeters.computeIfAbsent(method, m -> new ConcurrentHashMap<>());
        RouteMeters meters = byRoute.get(route);
        return meters != null ? meters : byRoute.computeIfAbsent(route, r -> new RouteMeters(method, r));
    }

    /** The request counters (one per status, made when first seen) and duration timer of one method and route. */
    private final class RouteMeters {
        private final String method;
        private final String route;
        private final Timer duration;
        private final Map<Integer, Counter> byStatus = new ConcurrentHashMap<>();

        RouteMeters(String method, String route) {
            this.method = method;
            this.route = route;
            this.duration = Timer.builder("switchboard.sidecar.request.duration")
                    .description("from a request's head to the end of its response").tag("method", method).tag("route", route)
                    .register(registry);
        }

        Counter status(int status) {
            Counter c = byStatus.get(status);
            return c != null ? c : byStatus.computeIfAbsent(status, s -> Counter.builder("switchboard.sidecar.requests")
                    .description("requests answered, by method, route and status").tag("method", method).tag("route", route)
                    .tag("status", Integer.toString(s)).register(registry));
        }
    }

    private void onResponse(int status, long upstreamNanos) {
        Counter c = responses.get(status / 100);
        if (c == null) {
            c = responses.computeIfAbsent(status / 100, h -> Counter.builder("switchboard.sidecar.responses")
                    .description("responses sent to clients").tag("status", h + "xx").register(registry));
        }
        c.increment();
        if (upstreamNanos >= 0) {
            upstreamLatency.record(upstreamNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** {@code kind}: unavailable, busy or timeout. */
    public void onUpstreamError(String kind) {
        upstreamErrors.computeIfAbsent(kind, k -> Counter.builder("switchboard.sidecar.upstream.errors")
                .description("requests the upstream did not answer").tag("kind", k).register(registry)).increment();
    }

    /** {@code outcome}: hit, miss, revalidated (a 304 from the upstream refreshed an entry) or evicted. */
    public void onCache(String outcome) {
        cache.computeIfAbsent(outcome, o -> Counter.builder("switchboard.sidecar.cache")
                .description("response cache lookups by outcome, and evictions").tag("outcome", o).register(registry)).increment();
    }

    /** Cache gauges: stored responses, the bytes they hold, requests waiting for an identical one's response. */
    public void bindCache(IntSupplier entries, LongSupplier bytes, IntSupplier waiting) {
        Gauge.builder("switchboard.sidecar.cache.waiting", waiting::getAsInt)
                .description("requests collapsed into an identical one in flight, waiting for its response").register(registry);
        Gauge.builder("switchboard.sidecar.cache.entries", entries::getAsInt).description("responses in the cache").register(registry);
        Gauge.builder("switchboard.sidecar.cache.size", bytes::getAsLong).baseUnit("bytes")
                .description("bytes held by the cache").register(registry);
    }

    /** An access log line was dropped: the log's writer fell {@code AccessLog.QUEUE_LINES} lines behind. */
    public void onAccessLogDropped() {
        accessLogDropped.increment();
    }

    public void onTunnelOpened() {
        tunnels.incrementAndGet();
    }

    public void onTunnelClosed() {
        tunnels.decrementAndGet();
    }

    public void onHoldOpened(String kind) {
        holds(kind).incrementAndGet();
    }

    public void onHoldClosed(String kind) {
        holds(kind).decrementAndGet();
    }

    public String scrape() {
        return registry.scrape();
    }

    private AtomicInteger holds(String kind) {
        return holds.computeIfAbsent(kind, k -> {
            AtomicInteger n = new AtomicInteger();
            Gauge.builder("switchboard.sidecar.holds", n, AtomicInteger::get)
                    .description("client requests held open by GRIP").tag("kind", k).register(registry);
            return n;
        });
    }

    private void poolGauge(String state, IntSupplier value) {
        Gauge.builder("switchboard.sidecar.upstream.connections", value::getAsInt)
                .description("upstream pool connections").tag("state", state).register(registry);
    }
}
