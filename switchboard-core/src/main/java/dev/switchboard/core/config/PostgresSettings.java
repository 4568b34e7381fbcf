package dev.switchboard.core.config;

import java.time.Duration;

/**
 * Where and how a node reaches its PostgreSQL store (store=postgres). The pool's limits are checked
 * again, with HikariCP's own floors, when the store opens.
 *
 * @param url            the libpq URI or a {@code jdbc:postgresql:} URL; empty with other stores
 * @param poolSize       connections the node keeps open
 * @param poolTimeout    how long a caller waits for a free connection
 * @param maxLifetime    age at which a connection is replaced
 * @param leakDetection  how long a borrowed connection may be held before it is logged; zero: off
 * @param schema         the schema that holds the tables: an unquoted identifier
 */
public record PostgresSettings(String url, int poolSize, Duration poolTimeout, Duration maxLifetime, Duration leakDetection,
        String schema) {}
