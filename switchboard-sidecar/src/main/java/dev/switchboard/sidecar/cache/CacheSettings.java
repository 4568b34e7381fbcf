package dev.switchboard.sidecar.cache;

import dev.switchboard.core.config.ConfigException;

/**
 * The response cache's bounds.
 *
 * @param maxBytes what all stored responses may hold together; past it the least recently used go; 0 turns caching off
 * @param maxEntryBytes the largest response body stored; a larger one streams through and is not kept
 */
public record CacheSettings(long maxBytes, int maxEntryBytes) {
    public static final CacheSettings DEFAULTS = new CacheSettings(
            64L << 20, // a sidecar's share of memory: the app beside it needs the rest
            1 << 20); // pages, JSON and small assets; big downloads are better served by a CDN than held in the heap

    public static final CacheSettings OFF = new CacheSettings(0, 0);

    public CacheSettings {
        if (maxBytes < 0 || maxEntryBytes < 0 || maxEntryBytes > maxBytes) {
            throw new ConfigException("cache-size must be ≥ 0 and cache-max-entry between 0 and cache-size, got " + maxBytes + " and "
                    + maxEntryBytes);
        }
    }

    public boolean enabled() {
        return maxBytes > 0;
    }
}
