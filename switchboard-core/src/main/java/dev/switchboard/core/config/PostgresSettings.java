package dev.switchboard.core.config;

/**
 * Where and how a node reaches its PostgreSQL store (store=postgres).
 *
 * @param url      the libpq URI or a {@code jdbc:postgresql:} URL; empty with other stores
 * @param poolSize connections the node keeps open
 * @param schema   the schema that holds the tables: an unquoted identifier
 */
public record PostgresSettings(String url, int poolSize, String schema) {}
