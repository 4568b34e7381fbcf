package dev.switchboard.core.config;

import java.util.Locale;

/**
 * Every server setting, with its one default. Each is a flag ({@code --max-body}), an environment
 * variable ({@code SWITCHBOARD_MAX_BODY}) and a key in the config file ({@code max-body = 1MiB}).
 * The README's configuration table is checked against this list by a test.
 */
public enum Setting {
    CONFIG("config", "", "config file (key = value lines, same names as the flags)"),
    PORT("port", "8080", "TCP port; 0 picks a free one and logs it"),
    BIND("bind", "127.0.0.1", "address to listen on"),
    DATA("data", "./data", "directory of the embedded store"),
    STORE("store", "sqlite", "log store: sqlite (durable, embedded), postgres (shared by several nodes) or memory (lost on exit)"),
    POSTGRES_URL("postgres-url", "", "PostgreSQL of store=postgres: postgresql://USER@HOST:PORT/DB or a jdbc:postgresql: URL"),
    POSTGRES_POOL_SIZE("postgres-pool-size", "10", "connections each node keeps open to PostgreSQL (one writes batches, the rest serve reads and job calls)"),
    POSTGRES_POOL_TIMEOUT("postgres-pool-timeout", "2s", "wait for a free pooled connection before a call fails with 503 store-unavailable (pool exhausted)"),
    POSTGRES_MAX_LIFETIME("postgres-max-lifetime", "30m", "age at which a pooled connection is replaced; keep it below any firewall or PgBouncer idle cut"),
    POSTGRES_LEAK_DETECTION("postgres-leak-detection", "10s", "a connection borrowed for longer is logged with the stack that took it; 0s turns it off"),
    POSTGRES_SCHEMA("postgres-schema", "switchboard", "schema that holds Switchboard's tables; nodes sharing one store use the same one"),
    TLS_CERT("tls-cert", "", "PEM certificate chain; with tls-key serves HTTPS (HTTP/2 and HTTP/1.1 by ALPN)"),
    TLS_KEY("tls-key", "", "PEM private key (PKCS#8) of tls-cert"),
    TLS_SELF_SIGNED("tls-self-signed", "false", "true serves HTTPS with a certificate for localhost made at start (development only)"),
    MAX_BODY("max-body", "1MiB", "largest request body; larger gets 413"),
    MAX_HEADER("max-header", "16KiB", "largest request line plus headers; larger gets 431"),
    MAX_FRAME("max-frame", "1MiB", "largest WebSocket message"),
    MAX_CONNECTIONS("max-connections", "20000", "open connections at once; more are refused"),
    MAX_STREAMS("max-streams", "256", "concurrent HTTP/2 streams per connection (SETTINGS_MAX_CONCURRENT_STREAMS)"),
    MAX_SUBSCRIPTIONS("max-subscriptions", "256", "topics one WebSocket may subscribe to"),
    MAX_READ("max-read", "1000", "most messages one read or poll returns"),
    MAX_WAIT("max-wait", "60s", "longest long-poll wait a client may ask for"),
    SESSION_BUDGET("session-budget", "4MiB", "bytes queued for one slow client before it is closed as a slow consumer"),
    GROUP_LEASE("group-lease", "30s", "consumer-group lease of a fetch that names none; unacknowledged after it, a message is redelivered"),
    GROUP_MAX_LEASE("group-max-lease", "10m", "longest consumer-group lease a fetch may ask for"),
    GROUP_MAX_ATTEMPTS("group-max-attempts", "5", "deliveries of one message to a group before it goes to {topic}.dlq"),
    GROUP_MAX_IN_FLIGHT("group-max-in-flight", "10000", "largest prefetch window (max_in_flight) of a WebSocket group consumer"),
    JOB_ATTEMPTS("job-attempts", "3", "attempts of a job that names no max_attempts (retries with exponential backoff and jitter)"),
    JOB_TIMEOUT("job-timeout", "5m", "run time of one attempt of a job that names no timeout"),
    JOB_MAX_TIMEOUT("job-max-timeout", "24h", "longest attempt timeout a job may ask for"),
    JOB_LEASE("job-lease", "60s", "lease of a worker's claim that names none; a worker silent for longer loses the job to another attempt"),
    JOB_BACKOFF("job-backoff", "1s", "delay before a failed job's first retry; doubled for each further retry"),
    JOB_MAX_BACKOFF("job-max-backoff", "5m", "longest delay between retries"),
    JOB_RETENTION("job-retention", "7d", "how long finished jobs and their status are kept"),
    RING_SIZE("ring-size", "4096", "recent messages per topic kept in memory for live delivery"),
    SSE_HEARTBEAT("sse-heartbeat", "15s", "comment line sent on idle SSE streams to keep proxies open"),
    SSE_RETRY("sse-retry", "1s", "reconnect delay told to EventSource clients"),
    WS_PING("ws-ping", "30s", "ping interval on idle WebSockets; no answer within twice that closes the socket (1008)"),
    AUTH("auth", "none", "none, or jwt: every API call needs a bearer token whose claims grant it (docs/security.md)"),
    JWT_SECRET("jwt-secret", "", "HS256 shared secret of at least 32 bytes, or @FILE to read it from a file"),
    JWT_PUBLIC_KEY("jwt-public-key", "", "PEM file of an RSA (RS256) or EC P-256 (ES256) public key that signs tokens"),
    JWT_ISSUER("jwt-issuer", "", "when set, a token's iss must equal it"),
    JWT_AUDIENCE("jwt-audience", "", "when set, a token's aud must name it"),
    JWT_LEEWAY("jwt-leeway", "30s", "clock skew allowed when checking a token's exp and nbf"),
    ALLOW_UNAUTHENTICATED("allow-unauthenticated", "false", "true lets auth=none serve on a non-loopback bind (when a proxy in front authenticates)"),
    ALLOWED_ORIGINS("allowed-origins", "", "origins (comma-separated, or *) allowed to open WebSockets besides the server's own"),
    SHUTDOWN_GRACE("shutdown-grace", "10s", "time to finish in-flight work on SIGTERM"),
    IDEMPOTENCY_TTL("idempotency-ttl", "24h", "how long an Idempotency-Key is remembered"),
    RETENTION_MAX_MESSAGES("retention-max-messages", "0", "messages kept per topic; 0 keeps all"),
    RETENTION_MAX_AGE("retention-max-age", "7d", "age after which messages are deleted; 0s keeps all"),
    RETENTION_INTERVAL("retention-interval", "1m", "how often retention runs");

    private final String key;
    private final String defaultValue;
    private final String description;

    Setting(String key, String defaultValue, String description) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.description = description;
    }

    /** The flag without dashes and the config-file key. */
    public String key() {
        return key;
    }

    public String flag() {
        return "--" + key;
    }

    public String envName() {
        return "SWITCHBOARD_" + key.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    public String defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }

    public static Setting byKey(String key) {
        for (Setting s : values()) {
            if (s.key.equals(key)) {
                return s;
            }
        }
        return null;
    }
}
