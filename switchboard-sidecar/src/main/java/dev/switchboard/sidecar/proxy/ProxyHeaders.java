package dev.switchboard.sidecar.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Header rewriting at the proxy boundary (RFC 9110 §7.6.1): hop-by-hop headers are dropped in both
 * directions, and requests gain {@code Forwarded} (RFC 7239) and the {@code X-Forwarded-*} trio. From a
 * trusted proxy, incoming {@code Forwarded} and {@code X-Forwarded-For} are extended and its
 * {@code X-Forwarded-Proto} and {@code -Host} kept; from anyone else, all four are replaced.
 */
final class ProxyHeaders {
    // AsciiString names hash once; the HTTP/2 ones are what Netty's HTTP/2-to-HTTP/1 conversion adds.
    private static final List<AsciiString> HOP_BY_HOP = List.of(HttpHeaderNames.CONNECTION, HttpHeaderNames.KEEP_ALIVE,
            HttpHeaderNames.PROXY_CONNECTION, HttpHeaderNames.PROXY_AUTHENTICATE, HttpHeaderNames.PROXY_AUTHORIZATION, HttpHeaderNames.TE,
            HttpHeaderNames.TRAILER, HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderNames.UPGRADE, AsciiString.cached("x-http2-stream-id"),
            AsciiString.cached("x-http2-scheme"), AsciiString.cached("x-http2-path"), AsciiString.cached("x-http2-stream-weight"),
            AsciiString.cached("x-http2-stream-dependency-id"));
    private static final List<AsciiString> FORWARDING = List.of(AsciiString.cached("forwarded"), AsciiString.cached("x-forwarded-for"),
            AsciiString.cached("x-forwarded-proto"), AsciiString.cached("x-forwarded-host"));

    private ProxyHeaders() {}

    /** Removes hop-by-hop headers, the ones {@code Connection} names included, and HTTP/2's conversion headers. */
    static void stripHopByHop(HttpHeaders h) {
        if (h.contains(HttpHeaderNames.CONNECTION)) {
            List<String> named = new ArrayList<>();
            for (String v : h.getAll(HttpHeaderNames.CONNECTION)) {
                if (v.equalsIgnoreCase("keep-alive")) {
                    continue; // the usual value, and Keep-Alive goes below anyway: nothing to split
                }
                for (String token : v.split(",")) {
                    String t = token.trim().toLowerCase(Locale.ROOT);
                    if (!t.isEmpty()) {
                        named.add(t);
                    }
                }
            }
            named.forEach(h::remove);
        }
        HOP_BY_HOP.forEach(h::remove);
        // Proxy-* request headers other than the two above are hop-by-hop by convention too. The names are read as
        // they are stored (no String per header), and a list is made only when there is one.
        List<CharSequence> proxy = null;
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = h.iteratorCharSequence(); it.hasNext(); ) {
            CharSequence name = it.next().getKey();
            if (AsciiString.regionMatches(name, true, 0, "proxy-", 0, 6)) {
                if (proxy == null) {
                    proxy = new ArrayList<>();
                }
                proxy.add(name);
            }
        }
        if (proxy != null) {
            proxy.forEach(h::remove);
        }
    }

    /** The peer's IP address as text, or null when it has none (a channel that is not a TCP socket). */
    static String ip(SocketAddress peer) {
        return peer instanceof InetSocketAddress a && a.getAddress() != null ? a.getAddress().getHostAddress() : null;
    }

    /**
     * Adds who asked, over what and for which host. {@code clientIp}: from {@link #ip}; {@code trusted}: the peer is a
     * proxy whose chain is kept (ours is appended); otherwise whatever the client claimed is dropped first.
     */
    static void addForwarded(HttpHeaders h, String clientIp, boolean tls, String defaultHost, boolean trusted) {
        if (!trusted) {
            FORWARDING.forEach(h::remove);
        }
        String ip = clientIp == null ? "unknown" : clientIp;
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
