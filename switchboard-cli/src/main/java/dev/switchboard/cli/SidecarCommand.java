package dev.switchboard.cli;

import dev.switchboard.core.config.ConfigException;
import dev.switchboard.core.config.Durations;
import dev.switchboard.core.config.Sizes;
import dev.switchboard.core.config.TlsSettings;
import dev.switchboard.sidecar.PoolSettings;
import dev.switchboard.sidecar.cache.CacheSettings;
import dev.switchboard.sidecar.Sidecar;
import dev.switchboard.sidecar.SidecarConfig;
import dev.switchboard.sidecar.TrustedProxies;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code switchboard sidecar}: a reverse proxy in front of an app, until SIGTERM or Ctrl-C. See docs/sidecar.md. */
@Command(name = "sidecar",
        mixinStandardHelpOptions = true,
        description = {"Runs a reverse proxy in front of an app in any language (docs/sidecar.md): clients get HTTP/1.1 "
                + "and HTTP/2 (h2 with TLS, h2c without) and WebSocket passed through, the app gets HTTP/1.1 over a bounded "
                + "pool of kept-alive connections, cacheable GET responses are cached in memory (identical concurrent GETs "
                + "collapse into one), and an app response with Grip-Hold keeps the client's request open on a topic, fed "
                + "by POST /v1/topics/{topic}/messages on the loopback --control-port.%n"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped cleanly", "1:failed while running (e.g. the port is taken)", "2:invalid flags"})
public final class SidecarCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--upstream", required = true, paramLabel = "URL", description = "the app, e.g. http://127.0.0.1:3000")
    String upstream;

    @Option(names = "--port", paramLabel = "N", description = "public port; 0 picks a free one (default: 8443)")
    int port = 8443;

    @Option(names = "--control-port", paramLabel = "N", description = "loopback publish API and /metrics (default: 8081)")
    int controlPort = 8081;

    @Option(names = "--bind", paramLabel = "ADDR", description = "address of the public port (default: 127.0.0.1)")
    String bind = "127.0.0.1";

    @Option(names = "--tls-cert", paramLabel = "FILE", description = "PEM certificate chain: the public port speaks TLS (h2 and HTTP/1.1)")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM PKCS#8 private key of --tls-cert")
    Path tlsKey;

    @Option(names = "--tls-self-signed", description = "TLS with a certificate made at start for localhost (development only)")
    boolean tlsSelfSigned;

    @Option(names = "--pool-size", paramLabel = "N", description = "most connections open to the app (default: 64)")
    int poolSize = PoolSettings.DEFAULTS.size();

    @Option(names = "--pool-idle-timeout", paramLabel = "DURATION", description = "close an idle app connection after (default: 4s)")
    String poolIdleTimeout = "4s";

    @Option(names = "--pool-max-lifetime", paramLabel = "DURATION", description = "never reuse an app connection older than (default: 10m)")
    String poolMaxLifetime = "10m";

    @Option(names = "--pool-acquire-timeout", paramLabel = "DURATION",
            description = "how long a request waits for a free app connection before a 503 (default: 5s)")
    String poolAcquireTimeout = "5s";

    @Option(names = "--upstream-timeout", paramLabel = "DURATION",
            description = "how long the app may take to start answering before a 504 (default: 30s)")
    String upstreamTimeout = "30s";

    @Option(names = "--loop-spin-micros", paramLabel = "N",
            description = "microseconds an event loop polls for an app response before it sleeps, while the app answers "
                    + "within about twice that; 0 turns polling off (default: 100, at most 1000)")
    long loopSpinMicros = 100;

    @Option(names = "--cache-size", paramLabel = "SIZE",
            description = "memory for cached GET responses, least recently used evicted first; 0 turns caching off (default: 64MiB)")
    String cacheSize = "64MiB";

    @Option(names = "--cache-max-entry", paramLabel = "SIZE",
            description = "the largest response body cached; larger ones stream through uncached (default: 1MiB)")
    String cacheMaxEntry = "1MiB";

    @Option(names = "--route-prefixes", split = ",", paramLabel = "PATH",
            description = "path prefixes that label the request metrics' route, e.g. /api,/static (default: each path's first "
                    + "segment, the first 50 seen; the rest are 'other')")
    List<String> routePrefixes = new ArrayList<>();

    @Option(names = "--trusted-proxies", split = ",", paramLabel = "CIDR",
            description = "proxies in front whose Forwarded/X-Forwarded-* are extended, e.g. 10.0.0.0/8,::1 "
                    + "(default: none; those headers from anyone else are replaced)")
    List<String> trustedProxies = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        SidecarConfig config;
        try {
            config = config();
        } catch (IllegalArgumentException e) { // ConfigException, or a malformed URL or duration
            err.println("switchboard sidecar: " + e.getMessage());
            err.flush();
            return 2;
        }
        Sidecar sidecar;
        try {
            sidecar = Sidecar.start(config);
        } catch (Exception e) {
            err.println("switchboard sidecar: cannot start on " + config.bind() + ":" + config.port() + " (control port "
                    + config.controlPort() + "): " + (e.getMessage() == null ? e : e.getMessage()));
            err.flush();
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("sb-sidecar-shutdown").unstarted(() -> {
            sidecar.shutdown();
            stopped.countDown();
        }));
        stopped.await();
        return 0;
    }

    private SidecarConfig config() {
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new ConfigException("--tls-cert and --tls-key go together");
        }
        if (tlsSelfSigned && tlsCert != null) {
            throw new ConfigException("--tls-self-signed or --tls-cert/--tls-key, not both");
        }
        TlsSettings tls = tlsSelfSigned ? TlsSettings.SELF_SIGNED : tlsCert != null ? new TlsSettings(tlsCert, tlsKey, false) : TlsSettings.NONE;
        PoolSettings pool = new PoolSettings(poolSize, Durations.parse(poolIdleTimeout), Durations.parse(poolMaxLifetime),
                Durations.parse(poolAcquireTimeout), PoolSettings.DEFAULTS.maxPending());
        return SidecarConfig.of(URI.create(upstream)).withBind(bind).withPorts(port, controlPort).withTls(tls).withPool(pool)
                .withUpstreamTimeout(Durations.parse(upstreamTimeout)).withCache(cache()).withRoutePrefixes(routePrefixes)
                .withTrustedProxies(new TrustedProxies(trustedProxies)).withLoopSpin(Duration.of(loopSpinMicros, ChronoUnit.MICROS));
    }

    private CacheSettings cache() {
        long size = Sizes.parse(cacheSize);
        // An entry cannot be larger than the whole cache: a small --cache-size lowers the default entry limit with it.
        return size == 0 ? CacheSettings.OFF : new CacheSettings(size, (int) Math.min(Math.min(Integer.MAX_VALUE, size),
                Sizes.parse(cacheMaxEntry)));
    }
}
