package dev.switchboard.sidecar;

import dev.switchboard.core.config.ConfigException;
import dev.switchboard.core.config.TlsSettings;
import dev.switchboard.sidecar.cache.CacheSettings;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * The validated settings of one sidecar. {@link #of} gives the defaults for an upstream; the
 * {@code with*} methods change one setting each. Each default is in {@link #of}, with its reason.
 *
 * @param upstream the app, {@code http://host:port} (HTTP/1.1, no path)
 * @param bind the address of the public port; the control port always binds loopback
 * @param port the public port (0 = a free one)
 * @param controlPort the loopback publish API (0 = a free one)
 * @param tls TLS on the public port, or {@link TlsSettings#NONE}
 * @param pool the upstream connection pool
 * @param upstreamTimeout from sending a request to the upstream's response head; past it, 504
 * @param maxHoldWait the longest {@code Grip-Timeout} honoured for a held long poll
 * @param maxHoldBody the largest upstream body of a hold instruction (it is buffered, unlike proxied bodies)
 * @param maxConnections open client connections on the public port
 * @param maxHeaderBytes request line and headers from a client
 * @param cache the response cache's bounds ({@link CacheSettings#OFF}: no caching)
 * @param routePrefixes the values of the request metrics' {@code route} label (empty: each path's first segment)
 * @param trustedProxies peers whose forwarding headers are extended rather than replaced
 * @param loopSpin how long an event loop polls for a response head it expects soon before it sleeps
 *        ({@code LoopSpin}); zero: it sleeps at once
 */
public record SidecarConfig(URI upstream, String bind, int port, int controlPort, TlsSettings tls, PoolSettings pool,
                           Duration upstreamTimeout, Duration maxHoldWait, int maxHoldBody, int maxConnections,
                           int maxHeaderBytes, CacheSettings cache, List<String> routePrefixes,
                           TrustedProxies trustedProxies, Duration loopSpin) {

    /** Past a millisecond, polling costs more CPU than the context switches it saves. */
    static final Duration MAX_LOOP_SPIN = Duration.ofMillis(1);

    public SidecarConfig {
        if (upstream == null || !"http".equals(upstream.getScheme()) || upstream.getHost() == null) {
            throw new ConfigException("invalid upstream=" + upstream + ": give the app's address as http://HOST:PORT");
        }
        if (upstream.getRawPath() != null && !upstream.getRawPath().isEmpty() && !upstream.getRawPath().equals("/")) {
            throw new ConfigException("invalid upstream=" + upstream + ": paths are not supported yet; requests keep theirs");
        }
        routePrefixes = List.copyOf(routePrefixes);
        for (String p : routePrefixes) {
            if (!p.startsWith("/")) {
                throw new ConfigException("route prefixes are paths starting with '/', got '" + p + "'");
            }
        }
        requirePort("port", port);
        requirePort("control-port", controlPort);
        if (upstreamTimeout.isNegative() || upstreamTimeout.isZero()) {
            throw new ConfigException("upstream-timeout must be positive, got " + upstreamTimeout);
        }
        if (loopSpin.isNegative() || loopSpin.compareTo(MAX_LOOP_SPIN) > 0) {
            Duration micro = Duration.ofNanos(1000); // dividedBy, not toNanos: a spin of Long.MAX_VALUE µs overflows nanoseconds
            throw new ConfigException("loop-spin-micros must be 0.." + MAX_LOOP_SPIN.dividedBy(micro) + ", got " + loopSpin.dividedBy(micro));
        }
        if (maxConnections < 1 || maxHeaderBytes < 1024 || maxHoldBody < 0) {
            throw new ConfigException("max-connections must be ≥ 1 and max-header ≥ 1024 (got " + maxConnections + ", "
                    + maxHeaderBytes + ")");
        }
    }

    public static SidecarConfig of(URI upstream) {
        return new SidecarConfig(upstream,
                "127.0.0.1", // loopback unless told otherwise, like the server
                8443,
                8081,
                TlsSettings.NONE,
                PoolSettings.DEFAULTS,
                Duration.ofSeconds(30), // a slow app is told apart from a dead one in half a minute
                Duration.ofSeconds(120), // a long poll longer than two minutes is often cut by something in between
                1 << 20, // hold instructions carry a greeting, not a download
                10_000,
                16 * 1024,
                CacheSettings.DEFAULTS,
                List.of(), // each path's first segment, up to a bound
                TrustedProxies.NONE, // a client's X-Forwarded-For is a claim, not a fact, until told otherwise
                // An app on the same host answering a small request takes ~40-150 µs: the spin catches most of those
                // answers; slower apps make the loops sleep at once (docs/sidecar.md, the ninth measurement).
                Duration.ofNanos(100_000));
    }

    public String upstreamHost() {
        return upstream.getHost();
    }

    public int upstreamPort() {
        return upstream.getPort() < 0 ? 80 : upstream.getPort();
    }

    /** Host (and port) as the upstream expects it in {@code Host} when the client sent none. */
    public String upstreamAuthority() {
        return upstream.getRawAuthority();
    }

    public SidecarConfig withBind(String newBind) {
        return new SidecarConfig(upstream, newBind, port, controlPort, tls, pool, upstreamTimeout, maxHoldWait, maxHoldBody,
                maxConnections, maxHeaderBytes, cache, routePrefixes, trustedProxies, loopSpin);
    }

    public SidecarConfig withPorts(int newPort, int newControlPort) {
        return new SidecarConfig(upstream, bind, newPort, newControlPort, tls, pool, upstreamTimeout, maxHoldWait, maxHoldBody,
                maxConnections, maxHeaderBytes, cache, routePrefixes, trustedProxies, loopSpin);
    }

    public SidecarConfig withTls(TlsSettings newTls) {
        return new SidecarConfig(upstream, bind, port, controlPort, newTls, pool, upstreamTimeout, maxHoldWait, maxHoldBody,
                maxConnections, maxHeaderBytes, cache, routePrefixes, trustedProxies, loopSpin);
    }

    public SidecarConfig withPool(PoolSettings newPool) {
        return new SidecarConfig(upstream, bind, port, controlPort, tls, newPool, upstreamTimeout, maxHoldWait, maxHoldBody,
                maxConnections, maxHeaderBytes, cache, routePrefixes, trustedProxies, loopSpin);
    }

    public SidecarConfig withUpstreamTimeout(Duration timeout) {
        return new SidecarConfig(upstream, bind, port, controlPort, tls, pool, timeout, maxHoldWait, maxHoldBody,
                maxConnections, maxHeaderBytes, cache, routePrefixes, trustedProxies, loopSpin);
    }

    public SidecarConfig withCache(CacheSettings newCache) {
        return new SidecarConfig(upstream, bind, port, controlPort, tls, pool, upstreamTimeout, maxHoldWait, maxHoldBody,
                maxConnections, maxHeaderBytes, newCache, routePrefixes, trustedProxies, loopSpin);
    }

    public SidecarConfig withRoutePrefixes(List<String> prefixes) {
        return new SidecarConfig(upstream, bind, port, controlPort, tls, pool, upstreamTimeout, maxHoldWait, maxHoldBody,
                maxConnections, maxHeaderBytes, cache, prefixes, trustedProxies, loopSpin);
    }

    public SidecarConfig withTrustedProxies(TrustedProxies trusted) {
        return new SidecarConfig(upstream, bind, port, controlPort, tls, pool, upstreamTimeout, maxHoldWait, maxHoldBody,
                maxConnections, maxHeaderBytes, cache, routePrefixes, trusted, loopSpin);
    }

    public SidecarConfig withLoopSpin(Duration spin) {
        return new SidecarConfig(upstream, bind, port, controlPort, tls, pool, upstreamTimeout, maxHoldWait, maxHoldBody,
                maxConnections, maxHeaderBytes, cache, routePrefixes, trustedProxies, spin);
    }

    private static void requirePort(String name, int p) {
        if (p < 0 || p > 65535) {
            throw new ConfigException(name + " must be 0..65535, got " + p);
        }
    }
}
