package dev.switchboard.sidecar.cache;

import dev.switchboard.sidecar.ops.SidecarMetrics;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The sidecar's shared response cache: entries in least-recently-used order within a byte budget, the
 * requests in flight to the upstream per key (so identical requests collapse into one), and the keys
 * recently found uncacheable (so their requests stop waiting for each other).
 *
 * <p>Threads: every event loop calls in; all state is behind one lock held for map updates only. Flights
 * complete outside it, and their waiters move back to their own loops.
 */
public final class ResponseCache {
    /** Varnish's "hit-for-pass": how long a key whose response was not storable skips collapsing. */
    private static final long PASS_NANOS = TimeUnit.SECONDS.toNanos(30);
    /** Bounds the URL bookkeeping kept beside the entries (vary names, pass marks). */
    private static final int MAX_KEYS = 10_000;

    private final CacheSettings settings;
    private final SidecarMetrics metrics;
    private final Object lock = new Object();
    private final LinkedHashMap<String, CachedResponse> entries = new LinkedHashMap<>(256, 0.75f, true);
    private final Map<String, List<String>> varyByUrl = bounded();
    private final Map<String, Long> passUntil = bounded();
    private final Map<String, CompletableFuture<CachedResponse>> flights = new HashMap<>();
    private final AtomicInteger waiting = new AtomicInteger();
    private long bytes; // guarded by lock

    /** A request's place in a flight: the leader fetches, the others wait for its outcome. */
    record Flight(CompletableFuture<CachedResponse> outcome, boolean leader) {}

    public ResponseCache(CacheSettings settings, SidecarMetrics metrics) {
        this.settings = settings;
        this.metrics = metrics;
        metrics.bindCache(this::entryCount, this::byteCount, this::waiting);
    }

    int maxEntryBytes() {
        return settings.maxEntryBytes();
    }

    SidecarMetrics metrics() {
        return metrics;
    }

    /** The key of a request for {@code url}: with the values of the headers its stored responses vary on. */
    String key(String url, io.netty.handler.codec.http.HttpHeaders request) {
        List<String> names;
        synchronized (lock) {
            names = varyByUrl.get(url);
        }
        return names == null || names.isEmpty() ? url : url + "\n" + String.join("\n", CachePolicy.varyValues(request, names));
    }

    CachedResponse get(String key) {
        synchronized (lock) {
            return entries.get(key);
        }
    }

    /** True while {@code url} recently gave a response that could not be stored. */
    boolean passing(String url) {
        synchronized (lock) {
            Long until = passUntil.get(url);
            return until != null && until - System.nanoTime() > 0;
        }
    }

    /** Joins the flight for {@code key}, leading a new one when none is in the air. */
    Flight join(String key) {
        synchronized (lock) {
            CompletableFuture<CachedResponse> f = flights.get(key);
            if (f != null) {
                waiting.incrementAndGet();
                return new Flight(f, false);
            }
            f = new CompletableFuture<>();
            flights.put(key, f);
            return new Flight(f, true);
        }
    }

    /**
     * Ends a flight: waiters get {@code entry}, or null (not storable, failed) and go to the upstream themselves.
     * {@code uncacheableUrl}: the URL whose response could not be stored (null when the response was only cut short).
     */
    void land(String key, CompletableFuture<CachedResponse> flight, CachedResponse entry, String uncacheableUrl) {
        synchronized (lock) {
            flights.remove(key, flight);
            if (entry == null && uncacheableUrl != null) {
                passUntil.put(uncacheableUrl, System.nanoTime() + PASS_NANOS);
            }
        }
        flight.complete(entry);
    }

    /** Stores {@code entry}, replacing what {@code url} had under its key, then evicts down to the budget. */
    void store(String url, CachedResponse entry) {
        int evicted = 0;
        synchronized (lock) {
            varyByUrl.put(url, entry.freshness().varyNames());
            passUntil.remove(url);
            CachedResponse old = entries.put(entry.key(), entry);
            bytes += entry.size() - (old == null ? 0 : old.size());
            for (Iterator<CachedResponse> it = entries.values().iterator(); bytes > settings.maxBytes() && it.hasNext(); ) {
                CachedResponse eldest = it.next();
                it.remove();
                bytes -= eldest.size();
                evicted++;
            }
        }
        for (int i = 0; i < evicted; i++) {
            metrics.onCache("evicted");
        }
    }

    /** Drops every stored variant of {@code url} (after a successful unsafe request to it). */
    void invalidate(String url) {
        synchronized (lock) {
            // A scan: unsafe requests are rare next to reads, and an index of variants per URL would need upkeep on every eviction.
            for (Iterator<CachedResponse> it = entries.values().iterator(); it.hasNext(); ) {
                CachedResponse e = it.next();
                if (e.key().equals(url) || e.key().startsWith(url + "\n")) {
                    it.remove();
                    bytes -= e.size();
                }
            }
        }
    }

    void remove(CachedResponse entry) {
        synchronized (lock) {
            if (entries.remove(entry.key(), entry)) {
                bytes -= entry.size();
            }
        }
    }

    /** A collapsed request stopped waiting. */
    void woken() {
        waiting.decrementAndGet();
    }

    /** Requests waiting for an identical one's response. */
    public int waiting() {
        return waiting.get();
    }

    public int entryCount() {
        synchronized (lock) {
            return entries.size();
        }
    }

    public long byteCount() {
        synchronized (lock) {
            return bytes;
        }
    }

    private static <V> Map<String, V> bounded() {
        return new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > MAX_KEYS;
            }
        };
    }
}
