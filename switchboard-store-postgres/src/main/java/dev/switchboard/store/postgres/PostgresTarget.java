package dev.switchboard.store.postgres;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Where the store lives: a database (as a JDBC URL) and the schema inside it that holds Switchboard's
 * tables. Every node of one deployment names the same target.
 */
public record PostgresTarget(String jdbcUrl, String schema) {
    /** The schema when none is configured. */
    public static final String DEFAULT_SCHEMA = "switchboard";
    // Unquoted PostgreSQL identifiers that need no quoting anywhere (we put the name in DDL).
    private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    public PostgresTarget {
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("not a PostgreSQL JDBC URL: " + redact(jdbcUrl));
        }
        if (!SCHEMA.matcher(schema).matches()) {
            throw new IllegalArgumentException("schema name '" + schema + "' must match " + SCHEMA.pattern());
        }
    }

    /**
     * Accepts the libpq URI form {@code postgresql://USER[:PASSWORD]@HOST[:PORT]/DB[?k=v]} (or
     * {@code postgres://}) and {@code jdbc:postgresql:...} as is.
     */
    public static PostgresTarget of(String url, String schema) {
        return new PostgresTarget(toJdbc(url), schema);
    }

    static String toJdbc(String url) {
        if (url.startsWith("jdbc:postgresql:")) {
            return url;
        }
        if (!url.startsWith("postgresql://") && !url.startsWith("postgres://")) {
            throw new IllegalArgumentException("PostgreSQL URL must start with postgresql://, postgres:// or jdbc:postgresql:, was "
                    + redact(url));
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("PostgreSQL URL is malformed: " + redact(url) + " (" + e.getReason() + ")");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("PostgreSQL URL names no host: " + redact(url));
        }
        String db = uri.getRawPath() == null || uri.getRawPath().length() <= 1 ? "postgres" : uri.getRawPath().substring(1);
        StringBuilder jdbc = new StringBuilder("jdbc:postgresql://").append(uri.getHost())
                .append(':').append(uri.getPort() < 0 ? 5432 : uri.getPort()).append('/').append(db);
        char sep = '?';
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            jdbc.append(sep).append("user=").append(reencode(parts[0]));
            sep = '&';
            if (parts.length == 2) {
                jdbc.append("&password=").append(reencode(parts[1]));
            }
        }
        if (uri.getRawQuery() != null) {
            jdbc.append(sep).append(uri.getRawQuery());
        }
        return jdbc.toString();
    }

    /** The URL without its password, for messages and logs. */
    public String describe() {
        return redact(jdbcUrl) + " schema " + schema;
    }

    static String redact(String url) {
        return url.replaceAll("password=[^&]*", "password=***").replaceAll("//([^:/@]+):[^@/]*@", "//$1:***@");
    }

    private static String reencode(String raw) {
        return URLEncoder.encode(URLDecoder.decode(raw, StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    }
}
