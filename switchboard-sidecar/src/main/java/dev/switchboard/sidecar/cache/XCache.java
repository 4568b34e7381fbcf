package dev.switchboard.sidecar.cache;

/** The {@code X-Cache} response header: how the cache took part in a response (also the metric's outcome label). */
final class XCache {
    static final String HEADER = "x-cache";
    /** Served from the cache, or from the response a collapsed request waited for. */
    static final String HIT = "HIT";
    /** Fetched from the upstream. */
    static final String MISS = "MISS";
    /** Served from the cache after the upstream confirmed it with a 304. */
    static final String REVALIDATED = "REVALIDATED";

    private XCache() {}
}
