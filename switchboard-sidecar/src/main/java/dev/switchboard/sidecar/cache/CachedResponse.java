package dev.switchboard.sidecar.cache;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.List;
import java.util.Map;

/**
 * One stored response, immutable (a refresh makes a new one): shared by the event loops that serve it.
 *
 * @param key the cache key it is stored under (URL plus the values of the request headers it varies on)
 * @param headers the upstream's headers without hop-by-hop ones, {@code Age} and {@code X-Cache} (never modified)
 * @param varyValues the request's values of {@code freshness.varyNames()} when it was fetched
 * @param storedNanos when it was received or last revalidated
 */
record CachedResponse(String key, int status, HttpHeaders headers, byte[] body, CachePolicy.Freshness freshness,
                      List<String> varyValues, long storedNanos) {
    /** Headers a 304 carries over from the stored response (RFC 9110 §15.4.5). */
    private static final List<String> NOT_MODIFIED_HEADERS = List.of("cache-control", "content-location", "date", "etag", "expires",
            "last-modified", "vary");

    long ageSeconds(long nowNanos) {
        return freshness.initialAgeSeconds() + (nowNanos - storedNanos) / 1_000_000_000L;
    }

    boolean isFresh(long nowNanos) {
        return !freshness.alwaysRevalidate() && ageSeconds(nowNanos) < freshness.lifetimeSeconds();
    }

    boolean hasValidator() {
        return headers.contains(HttpHeaderNames.ETAG) || headers.contains(HttpHeaderNames.LAST_MODIFIED);
    }

    /** True when {@code request} selects this variant (the headers the response varies on have the same values). */
    boolean matches(HttpHeaders request) {
        return CachePolicy.varyValues(request, freshness.varyNames()).equals(varyValues);
    }

    /** Bytes it holds, roughly: the body, the headers and the record around them. */
    long size() {
        long n = body.length + 256;
        for (Map.Entry<String, String> e : headers) {
            n += e.getKey().length() + e.getValue().length() + 32;
        }
        return n;
    }

    /** The head a client gets: the stored one (or a 304 for a satisfied conditional) with {@code Age} and {@code X-Cache}. */
    HttpResponse head(long nowNanos, boolean notModified, String outcome) {
        HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1,
                notModified ? HttpResponseStatus.NOT_MODIFIED : HttpResponseStatus.valueOf(status));
        if (notModified) {
            NOT_MODIFIED_HEADERS.forEach(name -> {
                if (headers.contains(name)) {
                    r.headers().set(name, headers.getAll(name));
                }
            });
        } else {
            r.headers().set(headers);
            if (status != 204) {
                r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
            }
        }
        r.headers().set(HttpHeaderNames.AGE, ageSeconds(nowNanos)).set(XCache.HEADER, outcome);
        return r;
    }

    LastHttpContent body(boolean notModified) {
        return notModified || body.length == 0 ? LastHttpContent.EMPTY_LAST_CONTENT : new DefaultLastHttpContent(Unpooled.wrappedBuffer(body));
    }

    /**
     * This response as a 304 from the upstream confirmed it (RFC 9111 §4.3.4): its headers updated with the
     * 304's, its age restarted. Null when the updated headers no longer allow storing it.
     */
    CachedResponse refreshed(HttpHeaders notModified, long nowNanos) {
        HttpHeaders merged = headers.copy();
        for (String name : notModified.names()) {
            String n = name.toLowerCase(java.util.Locale.ROOT);
            if (!n.equals("content-length") && !n.equals("transfer-encoding") && !n.equals("connection") && !n.equals("x-cache")) {
                merged.set(name, notModified.getAll(name));
            }
        }
        var probe = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status), merged);
        CachePolicy.Freshness f = CachePolicy.storable(probe, false);
        merged.remove(HttpHeaderNames.AGE);
        return f == null ? null : new CachedResponse(key, status, merged, body, f, varyValues, nowNanos);
    }
}
