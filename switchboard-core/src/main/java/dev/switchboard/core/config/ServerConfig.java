package dev.switchboard.core.config;

import java.nio.file.Path;
import java.time.Duration;

/** The validated settings of one server; built by {@link ConfigLoader}. */
public record ServerConfig(
        String bind,
        int port,
        Path dataDir,
        String store,
        PostgresSettings postgres,
        TlsSettings tls,
        Limits limits,
        int ringSize,
        Duration sseHeartbeat,
        Duration sseRetry,
        Duration wsPing,
        java.util.List<String> allowedOrigins,
        Duration shutdownGrace,
        Duration idempotencyTtl,
        RetentionRules retention,
        Duration retentionInterval,
        GroupSettings groups,
        JobSettings jobs,
        AuthSettings auth) {

    /** The defaults, with the given port and data directory: for tests and embedding. */
    public static ServerConfig defaults(int port, Path dataDir) {
        return ConfigLoader.load(java.util.Map.of("port", Integer.toString(port), "data", dataDir.toString()), java.util.Map.of());
    }

    public ServerConfig withLimits(Limits newLimits) {
        return new ServerConfig(bind, port, dataDir, store, postgres, tls, newLimits, ringSize, sseHeartbeat, sseRetry, wsPing, allowedOrigins,
                shutdownGrace, idempotencyTtl, retention, retentionInterval, groups, jobs, auth);
    }
}
