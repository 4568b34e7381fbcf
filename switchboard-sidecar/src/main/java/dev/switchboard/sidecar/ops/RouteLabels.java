package dev.switchboard.sidecar.ops;

import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code route} label of the request metrics, bounded whatever clients send: the longest configured
 * prefix the path starts with, else {@code other}; with no prefixes configured, the path's first segment
 * ({@code /api/users/7} → {@code /api}) for the first {@value #MAX_SEGMENTS} segments seen, {@code other}
 * after that. The raw path never becomes a label: ids in paths would make a series per id.
 */
public final class RouteLabels {
    static final int MAX_SEGMENTS = 50;
    static final String OTHER = "other";

    private final List<String> prefixes;
    private final Set<String> segments = ConcurrentHashMap.newKeySet(); // added to under its own lock, read without

    public RouteLabels(List<String> prefixes) {
        this.prefixes = prefixes.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
    }

    public String of(String uri) {
        int q = uri.indexOf('?');
        String path = q < 0 ? uri : uri.substring(0, q);
        if (!prefixes.isEmpty()) {
            for (String p : prefixes) {
                if (path.equals(p) || path.startsWith(p.endsWith("/") ? p : p + "/")) {
                    return p;
                }
            }
            return OTHER;
        }
        if (!path.startsWith("/")) {
            return OTHER; // an absolute-form or asterisk-form target
        }
        int end = path.indexOf('/', 1);
        String segment = end < 0 ? path : path.substring(0, end);
        if (segment.length() > 64) {
            return OTHER;
        }
        if (segments.contains(segment)) {
            return segment; // the common case: no lock on the request path
        }
        synchronized (segments) {
            return segments.size() < MAX_SEGMENTS && segments.add(segment) || segments.contains(segment) ? segment : OTHER;
        }
    }

    /** The method label: the standard ones, else {@code OTHER} (a client may send any token). */
    static String method(String method) {
        return switch (method) {
            case "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "CONNECT", "TRACE" -> method;
            default -> "OTHER";
        };
    }
}
