package dev.switchboard.sidecar.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Header rewriting at the proxy boundary (RFC 9110 §7.6.1): hop-by-hop headers are dropped in both
 * directions, and requests gain {@code Forwarded} (RFC 7239) and the {@code X-Forwarded-*} trio. From a
 * trusted proxy, incoming {@code Forwarded} and {@code X-Forwarded-For} are extended and its
 * {@code X-Forwarded-Proto} and {@code -Host} kept; from anyone else, all four are replaced.
 */
final class ProxyHeaders {
    private static final List<String> HOP_BY_HOP = List.of("connection", "keep-alive", "proxy-connection", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade");

    private ProxyHeaders() {}

    /** Removes hop-by-hop headers, the ones {@code Connection} names included, and HTTP/2's conversion headers. */
    static void stripHopByHop(HttpHeaders h) {
        List<String> named = new ArrayList<>();
        for (String v : h.getAll(HttpHeaderNames.CONNECTION)) {
            for (String token : v.split(",")) {
                String t = token.trim().toLowerCase(Locale.ROOT);
                if (!t.isEmpty()) {
                    named.add(t);
                }
            }
        }
        named.forEach(h::remove);
        HOP_BY_HOP.forEach(h::remove);
        h.remove("x-http2-stream-id").remove("x-http2-scheme").remove("x-http2-path").remove("x-http2-stream-weight")
                .remove("x-http2-stream-dependency-id");
        // Proxy-* request headers other than the two above are hop-by-hop by convention too.
        List<String> proxy = new ArrayList<>();
        for (var e : h) {
            if (e.getKey().regionMatches(true, 0, "proxy-", 0, 6)) {
                proxy.add(e.getKey());
            }
        }
        proxy.forEach(h::remove);
    }

    /**
     * Adds who asked, over what and for which host. {@code trusted}: the peer is a proxy whose chain is kept
     * (ours is appended); otherwise whatever the client claimed is dropped first.
     */
    static void addForwarded(HttpHeaders h, SocketAddress client, boolean tls, String defaultHost, boolean trusted) {
        if (!trusted) {
            h.remove("forwarded").remove("x-forwarded-for").remove("x-forwarded-proto").remove("x-forwarded-host");
        }
        String ip = client instanceof InetSocketAddress a && a.getAddress() != null ? a.getAddress().getHostAddress() : "unknown";
        String proto = tls ? "https" : "http";
        String host = h.get(HttpHeaderNames.HOST);
        if (host == null) {
            host = defaultHost;
            h.set(HttpHeaderNames.HOST, host);
        }
        String forNode = ip.contains(":") ? "\"[" + ip + "]\"" : ip;
        String element = "for=" + forNode + ";host=\"" + host.replace("\"", "") + "\";proto=" + proto;
        String prior = h.get("forwarded");
        h.set("forwarded", prior == null ? element : prior + ", " + element);
        String xff = h.get("x-forwarded-for");
        h.set("x-forwarded-for", xff == null ? ip : xff + ", " + ip);
        // A trusted proxy in front saw the client's scheme and host; without one, this hop's are the truth.
        if (!h.contains("x-forwarded-proto")) {
            h.set("x-forwarded-proto", proto);
        }
        if (!h.contains("x-forwarded-host")) {
            h.set("x-forwarded-host", host);
        }
    }
}
