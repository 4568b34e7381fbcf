package dev.switchboard.sidecar.cache;

import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a shared cache may do, after RFC 9111, kept to what the sidecar supports: which requests may be
 * answered from the cache, which responses may be stored and for how long, and when a client's
 * conditional request is answered 304. No heuristic freshness: a response without {@code max-age},
 * {@code s-maxage} or {@code Expires} is stored only when it carries a validator to revalidate with.
 */
final class CachePolicy {
    /** Final statuses stored when the response says how long they stay fresh (RFC 9110 §15.1's cacheable ones, less 206 and 405/414/501). */
    private static final Set<Integer> STORABLE = Set.of(200, 203, 204, 300, 301, 308, 404, 410);

    /** How long a response may be served, and whether it must be revalidated every time. */
    record Freshness(long lifetimeSeconds, boolean alwaysRevalidate, long initialAgeSeconds, List<String> varyNames) {}

    private CachePolicy() {}

    /**
     * A GET without a body, a range or an upgrade, not asking us to stay out of it ({@code no-store}). {@code http2}: the
     * request has a body unless its headers ended the stream.
     */
    static boolean eligible(HttpRequest request, boolean http2) {
        if (!request.decoderResult().isSuccess()) {
            return false; // the proxy refuses it; its headers may not even parse
        }
        HttpHeaders h = request.headers();
        boolean body = http2 ? !(request instanceof LastHttpContent)
                : HttpUtil.isTransferEncodingChunked(request) || HttpUtil.getContentLength(request, 0L) > 0;
        return request.method().equals(HttpMethod.GET) && !body
                && !h.contains(HttpHeaderNames.RANGE) && !h.contains(HttpHeaderNames.UPGRADE) && !CacheControl.of(h).noStore();
    }

    /** RFC 9111 §4.4: a successful unsafe request makes the cached response of its URI stale; we drop it. */
    static boolean invalidates(HttpRequest request) {
        HttpMethod m = request.method();
        return !m.equals(HttpMethod.GET) && !m.equals(HttpMethod.HEAD) && !m.equals(HttpMethod.OPTIONS) && !m.equals(HttpMethod.TRACE);
    }

    /** The URL as the client asked for it; the same path on another host is another resource. */
    static String primaryKey(HttpRequest request, boolean tls) {
        String host = request.headers().get(HttpHeaderNames.HOST, "");
        return (tls ? "https://" : "http://") + host.toLowerCase(Locale.ROOT) + request.uri();
    }

    /** The response's freshness, or null when it must not be stored. {@code authorized}: the request had {@code Authorization}. */
    static Freshness storable(HttpResponse response, boolean authorized) {
        HttpHeaders h = response.headers();
        CacheControl cc = CacheControl.of(h);
        if (!STORABLE.contains(response.status().code()) || cc.noStore() || cc.isPrivate() || h.contains(HttpHeaderNames.SET_COOKIE)) {
            return null; // a Set-Cookie is someone's session: never hand it to the next client
        }
        if (authorized && !cc.isPublic() && cc.sMaxAge() < 0 && !cc.mustRevalidate()) {
            return null; // RFC 9111 §3.5: one user's answer, unless the app says it is everyone's
        }
        List<String> vary = varyNames(h);
        if (vary == null) {
            return null; // Vary: * — no later request can be known to match
        }
        long lifetime = lifetime(cc, h);
        boolean validator = h.contains(HttpHeaderNames.ETAG) || h.contains(HttpHeaderNames.LAST_MODIFIED);
        long age = Math.max(0, parseLong(h.get(HttpHeaderNames.AGE)));
        if (cc.noCache() || lifetime == 0) {
            return validator ? new Freshness(0, true, age, vary) : null; // kept only to revalidate
        }
        return lifetime < 0 ? null : new Freshness(lifetime, cc.mustRevalidate(), age, vary);
    }

    /** RFC 9111 §4.2.1: s-maxage, else max-age, else Expires minus Date; -1 when none is given. */
    private static long lifetime(CacheControl cc, HttpHeaders h) {
        if (cc.sMaxAge() >= 0) {
            return cc.sMaxAge();
        }
        if (cc.maxAge() >= 0) {
            return cc.maxAge();
        }
        String expires = h.get(HttpHeaderNames.EXPIRES);
        if (expires == null) {
            return -1;
        }
        Date at = DateFormatter.parseHttpDate(expires);
        Date date = DateFormatter.parseHttpDate(h.get(HttpHeaderNames.DATE, ""));
        long now = date == null ? System.currentTimeMillis() : date.getTime();
        return at == null ? 0 : Math.max(0, (at.getTime() - now) / 1000); // an invalid Expires means already expired
    }

    /** The request headers a response varies on, lowercased and sorted; null for {@code Vary: *}. */
    static List<String> varyNames(HttpHeaders response) {
        if (!response.contains(HttpHeaderNames.VARY)) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        for (String value : response.getAll(HttpHeaderNames.VARY)) {
            for (String name : value.split(",")) {
                String n = name.trim().toLowerCase(Locale.ROOT);
                if (n.equals("*")) {
                    return null;
                }
                if (!n.isEmpty() && !names.contains(n)) {
                    names.add(n);
                }
            }
        }
        names.sort(null);
        return List.copyOf(names);
    }

    /** The request's values of the varied headers, in the order of {@code names} ("" when absent). */
    static List<String> varyValues(HttpHeaders request, List<String> names) {
        List<String> values = new ArrayList<>(names.size());
        for (String n : names) {
            values.add(String.join(",", request.getAll(n)).replaceAll("\\s+", " ").trim());
        }
        return values;
    }

    /** True when a conditional request is satisfied by the entry: the client's copy is current (RFC 9110 §13.2.2). */
    static boolean notModified(HttpHeaders request, CachedResponse entry) {
        String inm = request.get(HttpHeaderNames.IF_NONE_MATCH);
        if (inm != null) {
            String etag = entry.headers().get(HttpHeaderNames.ETAG);
            if (etag == null) {
                return false;
            }
            for (String tag : inm.split(",")) {
                String t = tag.trim();
                if (t.equals("*") || weak(t).equals(weak(etag))) {
                    return true; // If-None-Match uses the weak comparison
                }
            }
            return false;
        }
        Date since = DateFormatter.parseHttpDate(request.get(HttpHeaderNames.IF_MODIFIED_SINCE, ""));
        Date modified = DateFormatter.parseHttpDate(entry.headers().get(HttpHeaderNames.LAST_MODIFIED, ""));
        return since != null && modified != null && !modified.after(since);
    }

    static boolean conditional(HttpHeaders request) {
        return request.contains(HttpHeaderNames.IF_NONE_MATCH) || request.contains(HttpHeaderNames.IF_MODIFIED_SINCE);
    }

    private static String weak(String tag) {
        return tag.startsWith("W/") ? tag.substring(2) : tag;
    }

    private static long parseLong(String s) {
        try {
            return s == null ? 0 : Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
