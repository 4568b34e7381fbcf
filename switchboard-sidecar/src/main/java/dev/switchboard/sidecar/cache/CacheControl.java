package dev.switchboard.sidecar.cache;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Locale;

/**
 * The {@code Cache-Control} directives a shared cache acts on (RFC 9111 §5.2), from a request or a response.
 * Unknown directives are ignored, as the RFC asks; a malformed number reads as absent ({@code -1}).
 */
record CacheControl(boolean noStore, boolean noCache, boolean isPrivate, boolean isPublic, boolean mustRevalidate,
                    long maxAge, long sMaxAge) {
    private static final CacheControl NONE = new CacheControl(false, false, false, false, false, -1, -1);

    static CacheControl of(HttpHeaders headers) {
        if (!headers.contains(HttpHeaderNames.CACHE_CONTROL) && !headers.contains(HttpHeaderNames.PRAGMA)) {
            return NONE; // most requests, and many responses: nothing to parse, nothing to allocate
        }
        boolean noStore = false, noCache = false, priv = false, pub = false, mustRevalidate = false;
        long maxAge = -1, sMaxAge = -1;
        for (String value : headers.getAll(HttpHeaderNames.CACHE_CONTROL)) {
            for (String directive : value.split(",")) {
                String d = directive.trim().toLowerCase(Locale.ROOT);
                int eq = d.indexOf('=');
                String name = eq < 0 ? d : d.substring(0, eq).trim();
                String arg = eq < 0 ? "" : d.substring(eq + 1).trim().replace("\"", "");
                switch (name) {
                    case "no-store" -> noStore = true;
                    case "no-cache" -> noCache = true;
                    case "private" -> priv = true;
                    case "public" -> pub = true;
                    case "must-revalidate", "proxy-revalidate" -> mustRevalidate = true;
                    case "max-age" -> maxAge = seconds(arg);
                    case "s-maxage" -> sMaxAge = seconds(arg);
                    default -> { }
                }
            }
        }
        // HTTP/1.0's way of saying no-cache in a request (RFC 9111 §5.4).
        if (headers.containsValue(HttpHeaderNames.PRAGMA, "no-cache", true) && !headers.contains(HttpHeaderNames.CACHE_CONTROL)) {
            noCache = true;
        }
        return new CacheControl(noStore, noCache, priv, pub, mustRevalidate, maxAge, sMaxAge);
    }

    private static long seconds(String s) {
        try {
            return Math.max(0, Long.parseLong(s));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
