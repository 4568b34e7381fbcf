package dev.switchboard.sidecar;

import dev.switchboard.core.config.ConfigLoader;
import dev.switchboard.core.config.ServerConfig;
import dev.switchboard.core.hub.Hub;
import dev.switchboard.core.store.memory.MemoryLogStore;
import dev.switchboard.server.ServerContext;
import dev.switchboard.server.api.HttpResponses;
import dev.switchboard.server.auth.Authenticator;
import dev.switchboard.server.http.PublishRoute;
import dev.switchboard.server.http.ReadRoute;
import dev.switchboard.server.http.TopicInfoRoute;
import dev.switchboard.server.http.TopicListRoute;
import dev.switchboard.server.ops.HealthRoute;
import dev.switchboard.server.ops.ServerMetrics;
import dev.switchboard.server.pipeline.ConnectionLimiter;
import dev.switchboard.server.pipeline.HttpRoute;
import dev.switchboard.server.pipeline.JobRoutes;
import dev.switchboard.server.pipeline.Router;
import dev.switchboard.server.pipeline.Routes;
import dev.switchboard.server.tls.ServerTls;
import dev.switchboard.sidecar.cache.ResponseCache;
import dev.switchboard.sidecar.grip.GripHolds;
import dev.switchboard.sidecar.ops.AccessLog;
import dev.switchboard.sidecar.ops.SidecarMetrics;
import dev.switchboard.sidecar.proxy.LoopSpin;
import dev.switchboard.sidecar.proxy.ProxyContext;
import dev.switchboard.sidecar.proxy.ProxyInitializer;
import dev.switchboard.sidecar.proxy.UpstreamPool;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SelectStrategyFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.concurrent.SingleThreadEventExecutor;
import java.net.InetSocketAddress;
import java.nio.channels.spi.SelectorProvider;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * A running sidecar: the public port proxies to the upstream app through a bounded connection pool and
 * hands GRIP holds to an in-memory {@link Hub}; the loopback control port takes publishes (the server's
 * own publish route) and serves {@code /metrics}. {@link #start} binds both; {@link #shutdown} stops.
 */
public final class Sidecar implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Sidecar.class.getName());
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);

    private final SidecarConfig config;
    private final ServerTls tls;
    private final Hub hub;
    private final UpstreamPool pool;
    private final ResponseCache cache;
    private final SidecarMetrics metrics;
    private final AccessLog accessLog;
    private final ServerMetrics hubMetrics = new ServerMetrics();
    private final ConnectionLimiter connections;
    private final EventLoopGroup loops;
    private final Channel publicChannel;
    private final Channel controlChannel;
    private volatile boolean stopped;

    private Sidecar(SidecarConfig config) throws InterruptedException {
        this.config = config;
        this.metrics = new SidecarMetrics(config.routePrefixes());
        this.accessLog = new AccessLog(metrics);
        this.tls = ServerTls.of(config.tls());
        ServerConfig hubConfig = hubConfig();
        this.hub = new Hub(new MemoryLogStore(), hubConfig);
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = ioHandlers(epoll, config.loopSpin().toNanos());
        Class<? extends ServerChannel> serverType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        // One loop per core, like nginx's one worker per core: a proxy's work is all on its loops, and more loops than
        // cores (Netty's default is twice) only add context switches. Measured +10–50 % req/s on 2 cores (bench/sidecar.sh).
        this.loops = new MultiThreadIoEventLoopGroup(Runtime.getRuntime().availableProcessors(),
                Thread.ofPlatform().name("sb-sidecar-io-", 0).factory(), io);
        this.pool = new UpstreamPool(config.pool(), config.upstreamHost(), config.upstreamPort(), loops,
                epoll ? EpollSocketChannel.class : NioSocketChannel.class, config.maxHeaderBytes());
        metrics.bindPool(pool::active, pool::idle, pool::pending);
        this.connections = new ConnectionLimiter(config.maxConnections(), tls != null);
        GripHolds holds = new GripHolds(hub, metrics, config.maxHoldWait(), hubConfig.limits().sessionBudgetBytes(), hubConfig.sseHeartbeat());
        this.cache = config.cache().enabled() ? new ResponseCache(config.cache(), metrics) : null;
        ProxyContext proxy = new ProxyContext(config, pool, metrics, accessLog, holds, cache);
        try {
            this.publicChannel = new ServerBootstrap().group(loops).channel(serverType)
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ProxyInitializer(proxy, connections, tls == null ? null : tls.context()))
                    .bind(new InetSocketAddress(config.bind(), config.port())).sync().channel();
            this.controlChannel = new ServerBootstrap().group(loops).channel(serverType)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ControlInitializer(new Router(controlRoutes(new ServerContext(hub, hubConfig, hubMetrics)),
                            Authenticator.NONE, true),
                            hubConfig.limits().maxBodyBytes()))
                    // Loopback only, whatever --bind says: publishing is for the app beside us, not for clients.
                    .bind(new InetSocketAddress("127.0.0.1", config.controlPort())).sync().channel();
        } catch (RuntimeException | InterruptedException e) {
            accessLog.close();
            pool.close();
            loops.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            hub.close();
            throw e;
        }
    }

    /** Netty's epoll (or NIO) handler per loop, each waiting by a {@link LoopSpin} unless {@code spinNanos} is 0. */
    private static IoHandlerFactory ioHandlers(boolean epoll, long spinNanos) {
        if (spinNanos == 0) {
            return epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        }
        return loop -> {
            // Netty builds each loop's handler with the loop itself as its executor.
            SingleThreadEventExecutor tasks = (SingleThreadEventExecutor) loop;
            SelectStrategyFactory spin = () -> new LoopSpin(spinNanos, tasks::pendingTasks);
            return (epoll ? EpollIoHandler.newFactory(0, spin) : NioIoHandler.newFactory(SelectorProvider.provider(), spin))
                    .newHandler(loop);
        };
    }

    public static Sidecar start(SidecarConfig config) throws InterruptedException {
        Sidecar s = new Sidecar(config);
        LOG.info("Switchboard sidecar listening on " + s.url() + " (" + (s.tls == null ? "HTTP/1.1 and h2c"
                : "HTTP/2 and HTTP/1.1 over TLS" + (config.tls().selfSigned() ? " with a self-signed certificate: development only" : ""))
                + ") in front of " + config.upstream() + "; publish API on http://127.0.0.1:" + s.controlPort());
        return s;
    }

    /** The hub's settings: memory store, a bounded history per topic (holds need the recent past, not an archive). */
    private static ServerConfig hubConfig() {
        return ConfigLoader.load(Map.of("store", "memory", "port", "0", "retention-max-messages", "1000", "retention-max-age", "1h",
                "retention-interval", "10s"), Map.of());
    }

    private Routes controlRoutes(ServerContext context) {
        HttpRoute metricsRoute = (ctx, request, match) -> HttpResponses.send(ctx, HttpResponses.isKeepAlive(request),
                HttpResponses.response(HttpResponseStatus.OK, "text/plain; version=0.0.4; charset=utf-8",
                        Unpooled.copiedBuffer(metrics.scrape() + hubMetrics.scrape(), StandardCharsets.UTF_8)));
        JobRoutes noJobs = new JobRoutes(null, null, null, null, null, null, null, null, null);
        return new Routes(new PublishRoute(context), new ReadRoute(context), null, new TopicInfoRoute(context),
                new TopicListRoute(context), null, null, null, null, null, null, noJobs, null,
                HealthRoute.live(), HealthRoute.ready(() -> !stopped), metricsRoute, null);
    }

    public int port() {
        return ((InetSocketAddress) publicChannel.localAddress()).getPort();
    }

    public int controlPort() {
        return ((InetSocketAddress) controlChannel.localAddress()).getPort();
    }

    public InetSocketAddress publicAddress() {
        return (InetSocketAddress) publicChannel.localAddress();
    }

    public InetSocketAddress controlAddress() {
        return (InetSocketAddress) controlChannel.localAddress();
    }

    public String url() {
        String host = config.bind().contains(":") ? "[" + config.bind() + "]" : config.bind();
        return (tls == null ? "http://" : "https://") + host + ":" + port();
    }

    public String controlUrl() {
        return "http://127.0.0.1:" + controlPort();
    }

    public List<X509Certificate> certificateChain() {
        return tls == null ? List.of() : tls.chain();
    }

    public SidecarMetrics metrics() {
        return metrics;
    }

    /** The response cache, null when caching is off. */
    public ResponseCache cache() {
        return cache;
    }

    public UpstreamPool pool() {
        return pool;
    }

    /** Stops accepting, ends held streams with a reason, closes connections and the pool. */
    public synchronized void shutdown() {
        if (stopped) {
            return;
        }
        stopped = true;
        publicChannel.close().syncUninterruptibly();
        controlChannel.close().syncUninterruptibly();
        hub.shutdown(SHUTDOWN_GRACE);
        connections.channels().close().awaitUninterruptibly(SHUTDOWN_GRACE.toMillis());
        pool.close();
        hubMetrics.stop();
        loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        try {
            accessLog.close(); // after the loops: the last exchanges' lines are queued by now
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("Switchboard sidecar stopped");
    }

    @Override
    public void close() {
        shutdown();
    }
}
