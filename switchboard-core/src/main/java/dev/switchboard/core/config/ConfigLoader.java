package dev.switchboard.core.config;

import dev.switchboard.core.store.Retention;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;

/**
 * Builds a {@link ServerConfig} from flags, environment and an optional file. Flags win over the
 * environment, which wins over the file; every value is checked here, at start, so a typo fails with
 * a message that names the setting and its source instead of surfacing later.
 */
public final class ConfigLoader {
    private static final String RETENTION_PREFIX = "retention.";

    private final Map<Setting, String> values = new EnumMap<>(Setting.class);
    private final Map<Setting, String> sources = new EnumMap<>(Setting.class);
    private final Map<String, Retention> topicRetention = new LinkedHashMap<>();

    private ConfigLoader() {}

    /**
     * @param flags settings given on the command line, by key ({@code max-body})
     * @param env   the process environment ({@code SWITCHBOARD_*} variables are read)
     */
    public static ServerConfig load(Map<String, String> flags, Map<String, String> env) {
        ConfigLoader loader = new ConfigLoader();
        for (Setting s : Setting.values()) {
            loader.put(s, s.defaultValue(), "default");
        }
        String file = flags.getOrDefault(Setting.CONFIG.key(), env.get(Setting.CONFIG.envName()));
        if (file != null && !file.isBlank()) {
            loader.readFile(Path.of(file));
        }
        for (Setting s : Setting.values()) {
            String v = env.get(s.envName());
            if (v != null) {
                loader.put(s, v, "environment variable " + s.envName());
            }
        }
        flags.forEach((key, v) -> {
            Setting s = Setting.byKey(key);
            if (s == null) {
                throw new ConfigException("unknown setting '" + key + "'");
            }
            loader.put(s, v, "flag " + s.flag());
        });
        return loader.build();
    }

    private void put(Setting s, String value, String source) {
        values.put(s, value.trim());
        sources.put(s, source);
    }

    private void readFile(Path path) {
        // Retention rules match in file order (first wins), which Properties forgets: keep it here.
        Map<String, String> lines = new LinkedHashMap<>();
        Properties props = new Properties() {
            @Override
            public synchronized Object put(Object key, Object value) {
                lines.put((String) key, (String) value);
                return super.put(key, value);
            }
        };
        try (Reader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            props.load(r);
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + path + ": " + e.getMessage());
        }
        List<String> unknown = new ArrayList<>();
        Map<String, String[]> perTopic = new LinkedHashMap<>();
        for (Map.Entry<String, String> line : lines.entrySet()) {
            String key = line.getKey();
            String v = line.getValue();
            Setting s = Setting.byKey(key);
            if (s != null && s != Setting.CONFIG) {
                put(s, v, "config file " + path);
            } else if (key.startsWith(RETENTION_PREFIX) && (key.endsWith(".max-messages") || key.endsWith(".max-age"))) {
                String rest = key.substring(RETENTION_PREFIX.length());
                String glob = rest.substring(0, rest.lastIndexOf('.'));
                String[] pair = perTopic.computeIfAbsent(glob, g -> new String[] {"0", "0s"});
                pair[key.endsWith(".max-messages") ? 0 : 1] = v.trim();
            } else {
                unknown.add(key);
            }
        }
        if (!unknown.isEmpty()) {
            throw new ConfigException("unknown setting(s) " + unknown + " in config file " + path
                    + "; known: " + knownKeys() + ", retention.<topic-glob>.max-messages, retention.<topic-glob>.max-age");
        }
        perTopic.forEach((glob, pair) -> topicRetention.put(glob, new Retention(
                parse("retention." + glob + ".max-messages", pair[0], "config file " + path, Long::parseLong, 0, Long.MAX_VALUE),
                parse("retention." + glob + ".max-age", pair[1], "config file " + path, Durations::parse))));
    }

    private ServerConfig build() {
        int port = intValue(Setting.PORT, 0, 65535);
        String bind = values.get(Setting.BIND);
        if (bind.isEmpty()) {
            throw invalid(Setting.BIND, "an address is required, e.g. 127.0.0.1 or 0.0.0.0");
        }
        String store = values.get(Setting.STORE);
        if (!store.equals("sqlite") && !store.equals("memory") && !store.equals("postgres")) {
            throw invalid(Setting.STORE, "use sqlite, postgres or memory");
        }
        String postgresUrl = postgresUrl(store);
        AuthSettings auth = auth();
        requireAuthOffLoopback(bind, auth);
        Limits limits = new Limits(
                (int) size(Setting.MAX_BODY, 1, 1L << 30),
                (int) size(Setting.MAX_HEADER, 1024, 1L << 20),
                (int) size(Setting.MAX_FRAME, 125, 1L << 30),
                intValue(Setting.MAX_CONNECTIONS, 1, 10_000_000),
                intValue(Setting.MAX_STREAMS, 1, Integer.MAX_VALUE),
                intValue(Setting.MAX_SUBSCRIPTIONS, 1, 1_000_000),
                intValue(Setting.MAX_READ, 1, 1_000_000),
                duration(Setting.MAX_WAIT, Duration.ZERO),
                size(Setting.SESSION_BUDGET, 1024, 1L << 40));
        Retention defaults = new Retention(
                parse(Setting.RETENTION_MAX_MESSAGES, Long::parseLong, 0, Long.MAX_VALUE),
                duration(Setting.RETENTION_MAX_AGE, Duration.ZERO));
        List<RetentionRules.Rule> rules = new ArrayList<>();
        topicRetention.forEach((glob, r) -> rules.add(new RetentionRules.Rule(glob, r)));
        return new ServerConfig(bind, port, Path.of(values.get(Setting.DATA)), store, postgres(postgresUrl), tls(), limits,
                intValue(Setting.RING_SIZE, 16, 1 << 24),
                duration(Setting.SSE_HEARTBEAT, Duration.ofMillis(100)),
                duration(Setting.SSE_RETRY, Duration.ZERO),
                duration(Setting.WS_PING, Duration.ofMillis(100)),
                origins(),
                duration(Setting.SHUTDOWN_GRACE, Duration.ZERO),
                duration(Setting.IDEMPOTENCY_TTL, Duration.ofSeconds(1)),
                new RetentionRules(defaults, rules),
                duration(Setting.RETENTION_INTERVAL, Duration.ofMillis(100)),
                groups(),
                jobs(),
                auth);
    }

    /** auth=jwt needs a secret, a public key or both; jwt-* settings without auth=jwt are a mistake, not ignored. */
    private AuthSettings auth() {
        String mode = values.get(Setting.AUTH);
        boolean allowUnauthenticated = bool(Setting.ALLOW_UNAUTHENTICATED);
        Duration leeway = duration(Setting.JWT_LEEWAY, Duration.ZERO);
        if (leeway.compareTo(Duration.ofMinutes(10)) > 0) {
            throw invalid(Setting.JWT_LEEWAY, "must be at most 10m: it lets expired tokens in for that long");
        }
        Setting[] jwt = {Setting.JWT_SECRET, Setting.JWT_PUBLIC_KEY, Setting.JWT_ISSUER, Setting.JWT_AUDIENCE};
        if (mode.equals("none")) {
            for (Setting s : jwt) {
                if (!values.get(s).isEmpty()) {
                    throw new ConfigException(s.key() + " is set (" + sources.get(s) + ") but auth=none (" + sources.get(Setting.AUTH)
                            + "): set auth=jwt to check tokens");
                }
            }
            return new AuthSettings(false, null, null, null, null, leeway, allowUnauthenticated);
        }
        if (!mode.equals("jwt")) {
            throw invalid(Setting.AUTH, "use none or jwt");
        }
        byte[] secret = secret();
        java.security.PublicKey key = publicKey();
        if (secret == null && key == null) {
            throw new ConfigException("auth=jwt (" + sources.get(Setting.AUTH) + ") needs " + Setting.JWT_SECRET.key() + " (HS256) or "
                    + Setting.JWT_PUBLIC_KEY.key() + " (RS256, ES256) to check token signatures: see docs/security.md");
        }
        return new AuthSettings(true, secret, key, emptyToNull(Setting.JWT_ISSUER), emptyToNull(Setting.JWT_AUDIENCE), leeway,
                allowUnauthenticated);
    }

    /** The HS256 secret, given inline or as @FILE (its bytes, less one trailing newline); at least 32 bytes (RFC 7518 §3.2). */
    private byte[] secret() {
        String v = values.get(Setting.JWT_SECRET);
        if (v.isEmpty()) {
            return null;
        }
        byte[] secret;
        if (v.startsWith("@")) {
            Path file = Path.of(v.substring(1));
            try {
                secret = Files.readAllBytes(file);
            } catch (IOException e) {
                throw invalid(Setting.JWT_SECRET, "cannot read " + file.toAbsolutePath().normalize() + ": " + e.getMessage());
            }
            int n = secret.length;
            while (n > 0 && (secret[n - 1] == '\n' || secret[n - 1] == '\r')) {
                n--;
            }
            secret = java.util.Arrays.copyOf(secret, n);
        } else {
            secret = v.getBytes(StandardCharsets.UTF_8);
        }
        if (secret.length < 32) {
            // Not invalid(...): that would print the secret.
            throw new ConfigException("invalid " + Setting.JWT_SECRET.key() + " (" + sources.get(Setting.JWT_SECRET) + "): it has "
                    + secret.length + " bytes; HS256 needs at least 32 (e.g. openssl rand -base64 48)");
        }
        return secret;
    }

    private java.security.PublicKey publicKey() {
        String v = values.get(Setting.JWT_PUBLIC_KEY);
        if (v.isEmpty()) {
            return null;
        }
        Path file = readable(Setting.JWT_PUBLIC_KEY);
        try {
            return PemPublicKey.parse(Files.readString(file, StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw invalid(Setting.JWT_PUBLIC_KEY, "cannot read it: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw invalid(Setting.JWT_PUBLIC_KEY, e.getMessage());
        }
    }

    /** DESIGN §5: without auth, only loopback, unless the operator says something else authenticates. */
    private void requireAuthOffLoopback(String bind, AuthSettings auth) {
        if (auth.enabled() || auth.allowUnauthenticated() || loopback(bind)) {
            return;
        }
        throw new ConfigException("bind=" + bind + " (" + sources.get(Setting.BIND) + ") is not a loopback address, and auth=none ("
                + sources.get(Setting.AUTH) + "): anyone who reaches the port could publish and read every topic. Set auth=jwt with "
                + Setting.JWT_SECRET.key() + " or " + Setting.JWT_PUBLIC_KEY.key() + " (docs/security.md), or "
                + Setting.ALLOW_UNAUTHENTICATED.key() + "=true if a proxy in front authenticates");
    }

    private static boolean loopback(String bind) {
        try {
            return java.net.InetAddress.getByName(bind).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false; // not resolvable: the bind itself fails later, with its own message
        }
    }

    private boolean bool(Setting s) {
        String v = values.get(s);
        if (!v.equals("true") && !v.equals("false")) {
            throw invalid(s, "use true or false");
        }
        return v.equals("true");
    }

    private String emptyToNull(Setting s) {
        String v = values.get(s);
        return v.isEmpty() ? null : v;
    }

    private JobSettings jobs() {
        Duration timeout = duration(Setting.JOB_TIMEOUT, Duration.ofMillis(100));
        Duration maxTimeout = duration(Setting.JOB_MAX_TIMEOUT, Duration.ofMillis(100));
        if (timeout.compareTo(maxTimeout) > 0) {
            throw invalid(Setting.JOB_TIMEOUT, "it is longer than " + Setting.JOB_MAX_TIMEOUT.key() + "=" + values.get(Setting.JOB_MAX_TIMEOUT));
        }
        Duration backoff = duration(Setting.JOB_BACKOFF, Duration.ZERO);
        Duration maxBackoff = duration(Setting.JOB_MAX_BACKOFF, Duration.ZERO);
        if (backoff.compareTo(maxBackoff) > 0) {
            throw invalid(Setting.JOB_BACKOFF, "it is longer than " + Setting.JOB_MAX_BACKOFF.key() + "=" + values.get(Setting.JOB_MAX_BACKOFF));
        }
        return new JobSettings(intValue(Setting.JOB_ATTEMPTS, 1, 1_000), timeout, maxTimeout, duration(Setting.JOB_LEASE, Duration.ofMillis(100)),
                backoff, maxBackoff, duration(Setting.JOB_RETENTION, Duration.ofSeconds(1)));
    }

    private GroupSettings groups() {
        Duration lease = duration(Setting.GROUP_LEASE, Duration.ofMillis(100));
        Duration maxLease = duration(Setting.GROUP_MAX_LEASE, Duration.ofMillis(100));
        if (lease.compareTo(maxLease) > 0) {
            throw invalid(Setting.GROUP_LEASE, "it is longer than " + Setting.GROUP_MAX_LEASE.key() + "=" + values.get(Setting.GROUP_MAX_LEASE));
        }
        return new GroupSettings(lease, maxLease, intValue(Setting.GROUP_MAX_ATTEMPTS, 1, 1_000),
                intValue(Setting.GROUP_MAX_IN_FLIGHT, 1, 1_000_000));
    }

    /** HikariCP's own floors are enforced here: below them it silently changes the value, and the docs would lie. */
    private PostgresSettings postgres(String url) {
        Duration maxLifetime = duration(Setting.POSTGRES_MAX_LIFETIME, Duration.ofSeconds(30));
        Duration leakDetection = duration(Setting.POSTGRES_LEAK_DETECTION, Duration.ZERO);
        if (!leakDetection.isZero() && (leakDetection.compareTo(Duration.ofSeconds(2)) < 0 || leakDetection.compareTo(maxLifetime) >= 0)) {
            throw invalid(Setting.POSTGRES_LEAK_DETECTION, "use 0s (off), or at least 2s and below " + Setting.POSTGRES_MAX_LIFETIME.key());
        }
        return new PostgresSettings(url, intValue(Setting.POSTGRES_POOL_SIZE, 2, 1_000),
                duration(Setting.POSTGRES_POOL_TIMEOUT, Duration.ofMillis(250)), maxLifetime, leakDetection, schema());
    }

    /** An unquoted PostgreSQL identifier: the name goes into DDL as it is. */
    private String schema() {
        String schema = values.get(Setting.POSTGRES_SCHEMA);
        if (!schema.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw invalid(Setting.POSTGRES_SCHEMA, "use lower-case letters, digits and _ (not first), at most 63");
        }
        return schema;
    }

    /** Required with store=postgres, in the libpq URI form or as a JDBC URL; checked for shape here, reached at start. */
    private String postgresUrl(String store) {
        String url = values.get(Setting.POSTGRES_URL);
        if (!store.equals("postgres")) {
            return url;
        }
        if (url.isEmpty()) {
            throw new ConfigException("store=postgres (" + sources.get(Setting.STORE) + ") needs " + Setting.POSTGRES_URL.key()
                    + ", e.g. " + Setting.POSTGRES_URL.flag() + " postgresql://switchboard@127.0.0.1:5432/switchboard");
        }
        if (url.startsWith("jdbc:postgresql:")) {
            return url;
        }
        if (!url.startsWith("postgresql://") && !url.startsWith("postgres://")) {
            throw invalidUrl("use postgresql://USER@HOST:PORT/DB or jdbc:postgresql://HOST:PORT/DB");
        }
        try {
            if (new java.net.URI(url).getHost() == null) {
                throw invalidUrl("it names no host; use postgresql://USER@HOST:PORT/DB");
            }
        } catch (java.net.URISyntaxException e) {
            throw invalidUrl("it is not a URI (" + e.getReason() + ")");
        }
        return url;
    }

    /** Both PEM files or neither, readable; or a self-signed certificate, never both. The PEM contents are read at start. */
    private TlsSettings tls() {
        String selfSigned = values.get(Setting.TLS_SELF_SIGNED);
        if (!selfSigned.equals("true") && !selfSigned.equals("false")) {
            throw invalid(Setting.TLS_SELF_SIGNED, "use true or false");
        }
        String cert = values.get(Setting.TLS_CERT);
        String key = values.get(Setting.TLS_KEY);
        if (cert.isEmpty() != key.isEmpty()) {
            Setting missing = cert.isEmpty() ? Setting.TLS_CERT : Setting.TLS_KEY;
            Setting given = cert.isEmpty() ? Setting.TLS_KEY : Setting.TLS_CERT;
            throw new ConfigException(given.key() + " is set (" + sources.get(given) + ") but " + missing.key()
                    + " is not: HTTPS needs both the certificate and its private key");
        }
        if (cert.isEmpty()) {
            return selfSigned.equals("true") ? TlsSettings.SELF_SIGNED : TlsSettings.NONE;
        }
        if (selfSigned.equals("true")) {
            throw new ConfigException("tls-self-signed=true (" + sources.get(Setting.TLS_SELF_SIGNED) + ") and tls-cert/tls-key ("
                    + sources.get(Setting.TLS_CERT) + ") both ask for HTTPS: choose one");
        }
        return new TlsSettings(readable(Setting.TLS_CERT), readable(Setting.TLS_KEY), false);
    }

    private Path readable(Setting s) {
        Path p = Path.of(values.get(s));
        if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
            throw invalid(s, "no readable file at " + p.toAbsolutePath().normalize());
        }
        return p;
    }

    private List<String> origins() {
        List<String> origins = new ArrayList<>();
        for (String o : values.get(Setting.ALLOWED_ORIGINS).split(",")) {
            String origin = o.trim();
            if (origin.isEmpty()) {
                continue;
            }
            if (!origin.equals("*") && !origin.matches("https?://[^/\\s]+")) {
                throw invalid(Setting.ALLOWED_ORIGINS, "'" + origin + "' is not an origin: write e.g. https://app.example.com or *");
            }
            origins.add(origin);
        }
        return List.copyOf(origins);
    }

    private int intValue(Setting s, long min, long max) {
        return (int) parse(s, Long::parseLong, min, max);
    }

    private long size(Setting s, long min, long max) {
        return parse(s, Sizes::parse, min, max);
    }

    private Duration duration(Setting s, Duration min) {
        Duration d = parse(s.key(), values.get(s), sources.get(s), Durations::parse);
        if (d.compareTo(min) < 0) {
            throw invalid(s, "must be at least " + Durations.format(min));
        }
        return d;
    }

    private long parse(Setting s, Function<String, Long> parser, long min, long max) {
        return parse(s.key(), values.get(s), sources.get(s), parser, min, max);
    }

    private static long parse(String key, String value, String source, Function<String, Long> parser, long min, long max) {
        long v = parse(key, value, source, parser);
        if (v < min || v > max) {
            throw new ConfigException("invalid " + key + "=" + value + " (" + source + "): must be between " + min + " and " + max);
        }
        return v;
    }

    private static <T> T parse(String key, String value, String source, Function<String, T> parser) {
        try {
            return parser.apply(value);
        } catch (NumberFormatException e) {
            throw new ConfigException("invalid " + key + "=" + value + " (" + source + "): not a whole number");
        } catch (IllegalArgumentException e) {
            throw new ConfigException("invalid " + key + "=" + value + " (" + source + "): " + e.getMessage());
        }
    }

    /** Without the value: a URL may carry a password. */
    private ConfigException invalidUrl(String why) {
        return new ConfigException("invalid " + Setting.POSTGRES_URL.key() + " (" + sources.get(Setting.POSTGRES_URL) + "): " + why);
    }

    private ConfigException invalid(Setting s, String why) {
        return new ConfigException("invalid " + s.key() + "=" + values.get(s) + " (" + sources.get(s) + "): " + why);
    }

    private static String knownKeys() {
        List<String> keys = new ArrayList<>();
        for (Setting s : Setting.values()) {
            if (s != Setting.CONFIG) {
                keys.add(s.key());
            }
        }
        return String.join(", ", keys);
    }
}
