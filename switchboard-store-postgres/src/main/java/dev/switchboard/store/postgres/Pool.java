package dev.switchboard.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import dev.switchboard.core.error.ErrorCode;
import dev.switchboard.core.error.SwitchboardException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/**
 * The HikariCP pool and the one place a connection is borrowed. Turns HikariCP's timeout into a
 * {@link ErrorCode#STORE_UNAVAILABLE} that says how full the pool was, so a caller fails fast and
 * retryably rather than hangs.
 */
final class Pool implements AutoCloseable {

    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private final HikariDataSource data;
    private final PoolOptions options;
    private final String where;
    private final PoolMetrics metrics;

    Pool(PostgresTarget target, PoolOptions options, PoolMetrics metrics) {
        this.metrics = metrics;
        this.options = options;
        this.where = target.describe();
        HikariConfig config = new HikariConfig();
        config.setPoolName("switchboard-" + target.schema());
        config.setJdbcUrl(target.jdbcUrl());
        config.setMaximumPoolSize(options.size());
        config.setMinimumIdle(options.size()); // fixed size: HikariCP's advice, connections stay hot
        config.setConnectionTimeout(options.connectionTimeout().toMillis());
        config.setMaxLifetime(options.maxLifetime().toMillis());
        config.setLeakDetectionThreshold(options.leakDetection().toMillis());
        // Fail at start, not at the first request, when PostgreSQL is unreachable.
        config.setInitializationFailTimeout(options.connectionTimeout().toMillis());
        config.addDataSourceProperty("currentSchema", target.schema());
        // Turns the writer's batched INSERTs into multi-row INSERTs: one round trip per batch.
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        this.data = new HikariDataSource(config);
        HikariPoolMXBean state = data.getHikariPoolMXBean();
        metrics.bindPool(state::getActiveConnections, state::getIdleConnections, state::getThreadsAwaitingConnection);
    }

    /** Runs {@code work} on a borrowed connection (autocommit on); {@code what} names it in errors. */
    <T> T with(String what, Work<T> work) {
        try (Connection c = borrow(what)) {
            return work.run(c);
        } catch (SQLException e) {
            throw new SwitchboardException(ErrorCode.STORE_UNAVAILABLE, what + " failed in PostgreSQL (" + where + "): "
                    + e.getMessage(), e);
        }
    }

    /**
     * Runs {@code work} as one transaction on a borrowed connection: committed when it returns, rolled
     * back when it throws (a {@link SwitchboardException} refusal passes through as it is).
     */
    <T> T inTransaction(String what, Work<T> work) {
        return with(what, c -> {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        });
    }

    /** A connection the caller must close; fails with the pool's state when none frees up in time. */
    Connection borrow(String what) {
        HikariPoolMXBean state = data.getHikariPoolMXBean();
        long started = System.nanoTime();
        try {
            Connection c = data.getConnection();
            metrics.acquired(System.nanoTime() - started);
            return c;
        } catch (SQLTransientConnectionException e) {
            if (e.getCause() != null) { // HikariCP's timeout carries the last failure to connect, if any
                throw new SwitchboardException(ErrorCode.STORE_UNAVAILABLE, what + " failed: no connection to PostgreSQL ("
                        + where + "): " + e.getCause().getMessage(), e);
            }
            metrics.exhausted();
            throw new SwitchboardException(ErrorCode.STORE_UNAVAILABLE, what + " refused: PostgreSQL pool exhausted: "
                    + state.getActiveConnections() + " active, " + state.getThreadsAwaitingConnection() + " pending, waited "
                    + options.connectionTimeout().toMillis() + "ms (pool size " + options.size() + ", " + where + ")", e);
        } catch (SQLException e) {
            throw new SwitchboardException(ErrorCode.STORE_UNAVAILABLE, what + " failed: no connection to PostgreSQL ("
                    + where + "): " + e.getMessage(), e);
        }
    }

    HikariPoolMXBean state() {
        return data.getHikariPoolMXBean();
    }

    @Override
    public void close() {
        data.close();
    }
}
