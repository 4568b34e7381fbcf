package dev.switchboard.server;

import dev.switchboard.core.config.ConfigException;
import dev.switchboard.core.config.Durations;
import dev.switchboard.core.config.PostgresSettings;
import dev.switchboard.core.config.ServerConfig;
import dev.switchboard.core.hub.Hub;
import dev.switchboard.core.jobs.Jobs;
import dev.switchboard.core.store.LogStore;
import dev.switchboard.core.store.memory.MemoryLogStore;
import dev.switchboard.server.auth.Authenticator;
import dev.switchboard.server.groups.FetchRoute;
import dev.switchboard.server.groups.GroupInfoRoute;
import dev.switchboard.server.groups.ResetRoute;
import dev.switchboard.server.groups.SettleRoute;
import dev.switchboard.server.http.PublishRoute;
import dev.switchboard.server.jobs.CancelRoute;
import dev.switchboard.server.jobs.ClaimRoute;
import dev.switchboard.server.jobs.JobEventsRoute;
import dev.switchboard.server.jobs.JobJson;
import dev.switchboard.server.jobs.JobRoute;
import dev.switchboard.server.jobs.SubmitRoute;
import dev.switchboard.server.jobs.WorkerStepRoute;
import dev.switchboard.server.pipeline.JobRoutes;
import dev.switchboard.server.http.ReadRoute;
import dev.switchboard.server.http.TopicInfoRoute;
import dev.switchboard.server.http.TopicListRoute;
import dev.switchboard.server.ops.DashboardRoute;
import dev.switchboard.server.ops.HealthRoute;
import dev.switchboard.server.ops.MetricsRoute;
import dev.switchboard.server.ops.ServerMetrics;
import dev.switchboard.server.pipeline.ConnectionLimiter;
import dev.switchboard.server.pipeline.Router;
import dev.switchboard.server.pipeline.Routes;
import dev.switchboard.server.pipeline.ServerInitializer;
import dev.switchboard.server.sse.SseRoute;
import dev.switchboard.server.tls.ServerTls;
import dev.switchboard.server.ws.WebSocketRoute;
import dev.switchboard.store.postgres.PoolOptions;
import dev.switchboard.store.postgres.PostgresLogStore;
import dev.switchboard.store.postgres.PostgresTarget;
import dev.switchboard.store.sqlite.SqliteLogStore;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * A running Switchboard: store → hub → Netty transports (HTTP/1.1 and HTTP/2 on one port, TLS optional),
 * started by {@link #start} and stopped gracefully by {@link #shutdown}.
 */
public final class SwitchboardServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SwitchboardServer.class.getName());

    private final ServerConfig config;
    private final ServerContext context;
    private final EventLoopGroup loops;
    private final ConnectionLimiter connections;
    private final ServerTls tls;
    private final Channel serverChannel;
    private volatile boolean stopped;

    private SwitchboardServer(ServerConfig config) throws InterruptedException {
        this.config = config;
        this.tls = ServerTls.of(config.tls()); // before the store opens: a bad certificate fails fast
        ServerMetrics metrics = new ServerMetrics();
        Hub hub = new Hub(openStore(config, metrics), config, metrics.groups(), JobJson.EVENTS, metrics.jobs());
        metrics.watch(hub.groups(), hub.jobs());
        this.context = new ServerContext(hub, config, metrics);
        this.connections = new ConnectionLimiter(config.limits().maxConnections(), tls != null);
        metrics.bindOpenConnections(connections::open);
        SseRoute sse = new SseRoute(context);
        Routes routes = new Routes(
                new PublishRoute(context),
                new ReadRoute(context),
                sse,
                new TopicInfoRoute(context),
                new TopicListRoute(context),
                new FetchRoute(context),
                new SettleRoute(context, SettleRoute.Settle.ACK),
                new SettleRoute(context, SettleRoute.Settle.NACK),
                new SettleRoute(context, SettleRoute.Settle.RELEASE),
                new GroupInfoRoute(context),
                new ResetRoute(context),
                new JobRoutes(
                        new SubmitRoute(context),
                        new JobRoute(context),
                        new JobEventsRoute(context, sse),
                        new CancelRoute(context),
                        new WorkerStepRoute(context, WorkerStepRoute.Step.HEARTBEAT),
                        new WorkerStepRoute(context, WorkerStepRoute.Step.PROGRESS),
                        new WorkerStepRoute(context, WorkerStepRoute.Step.COMPLETE),
                        new WorkerStepRoute(context, WorkerStepRoute.Step.FAIL),
                        new ClaimRoute(context)),
                new WebSocketRoute(context),
                HealthRoute.live(),
                HealthRoute.ready(() -> !stopped),
                new MetricsRoute(metrics),
                new DashboardRoute());
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> channelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        this.loops = new MultiThreadIoEventLoopGroup(0, Thread.ofPlatform().name("sb-io-", 0).factory(), io);
        try {
            this.serverChannel = new ServerBootstrap()
                    .group(loops)
                    .channel(channelType)
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ServerInitializer(config.limits(), connections, new Router(routes, Authenticator.of(config.auth(), Clock.systemUTC()), loopback(config.bind())),
                            tls == null ? null : tls.context()))
                    .bind(new InetSocketAddress(config.bind(), config.port()))
                    .sync()
                    .channel();
        } catch (RuntimeException | InterruptedException e) {
            loops.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            metrics.stop();
            hub.close();
            throw e;
        }
    }

    /** Opens the store, starts the hub and binds the port; returns once the server accepts connections. */
    public static SwitchboardServer start(ServerConfig config) throws InterruptedException {
        SwitchboardServer server = new SwitchboardServer(config);
        LOG.info("Switchboard listening on " + server.url() + " (" + (server.tls == null ? "HTTP/1.1 and h2c"
                : config.tls().selfSigned() ? "HTTP/2 and HTTP/1.1 over TLS with a self-signed certificate: development only"
                : "HTTP/2 and HTTP/1.1 over TLS") + "; store " + config.store()
                + (config.store().equals("sqlite") ? " in " + config.dataDir().toAbsolutePath().normalize() : "")
                + ", epoch " + server.context.hub().epoch() + "; auth " + config.auth() + ")");
        return server;
    }

    private static boolean loopback(String bind) {
        try {
            return java.net.InetAddress.getByName(bind).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    private static LogStore openStore(ServerConfig config, ServerMetrics metrics) {
        return switch (config.store()) {
            case "memory" -> new MemoryLogStore(Clock.systemUTC(), config.idempotencyTtl());
            case "postgres" -> PostgresLogStore.open(PostgresTarget.of(config.postgres().url(), config.postgres().schema()),
                    poolOptions(config.postgres()), Clock.systemUTC(), config.idempotencyTtl(), metrics, metrics);
            default -> SqliteLogStore.open(config.dataDir(), Clock.systemUTC(), config.idempotencyTtl(), metrics);
        };
    }

    /** The pool's limits from the settings; PoolOptions refuses values HikariCP would silently change. */
    private static PoolOptions poolOptions(PostgresSettings p) {
        try {
            return new PoolOptions(p.poolSize(), p.poolTimeout(), p.maxLifetime(), p.leakDetection());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("invalid PostgreSQL pool settings: " + e.getMessage());
        }
    }

    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    public String url() {
        String host = config.bind().contains(":") ? "[" + config.bind() + "]" : config.bind();
        return (tls == null ? "http://" : "https://") + host + ":" + port();
    }

    /** The TLS certificate chain the server presents (e.g. for a client to trust a self-signed one); empty without TLS. */
    public java.util.List<java.security.cert.X509Certificate> certificateChain() {
        return tls == null ? java.util.List.of() : tls.chain();
    }

    /**
     * Async jobs of this server: {@code server.jobs().handle("resize", 4, job -> …)} runs a Java handler
     * in this process for every job of that type, beside any remote workers.
     */
    public Jobs jobs() {
        return context.hub().jobs();
    }

    public ServerContext context() {
        return context;
    }

    /**
     * Graceful stop: stop accepting, finish in-flight publishes, close streams with a reason, flush the
     * store, then close the remaining connections.
     */
    public synchronized void shutdown() {
        if (stopped) {
            return;
        }
        stopped = true;
        LOG.info("Switchboard shutting down (grace " + Durations.format(config.shutdownGrace()) + ")");
        serverChannel.close().syncUninterruptibly();
        context.metrics().stop();
        context.hub().shutdown(config.shutdownGrace());
        connections.channels().close().awaitUninterruptibly(config.shutdownGrace().toMillis());
        loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        LOG.info("Switchboard stopped");
    }

    @Override
    public void close() {
        shutdown();
    }
}
