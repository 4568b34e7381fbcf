package dev.switchboard.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.switchboard.store.postgres.PostgresTarget;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;

/**
 * The pooling pattern, measured: the same small query ({@code SELECT 1}, the cheapest round trip) by
 * {@code threads} callers, first on connections borrowed from a HikariCP pool kept hot, then on a
 * new connection opened and closed for every operation. Prints both and their ratio, from one run.
 */
public final class PoolBench {

    public record Result(String mode, double opsPerSecond, double p50Millis, double p99Millis) {
        String line() {
            return String.format(Locale.ROOT, "  %-22s %,10.0f ops/s   p50 %6.2f ms   p99 %6.2f ms", mode, opsPerSecond, p50Millis, p99Millis);
        }
    }

    private PoolBench() {}

    /** @return the table and one JSON line */
    public static String[] run(String postgresUrl, int threads, int poolSize, int seconds) throws Exception {
        String jdbc = PostgresTarget.of(postgresUrl, PostgresTarget.DEFAULT_SCHEMA).jdbcUrl();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbc);
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(poolSize);
        config.setPoolName("bench");
        Result pooled;
        try (HikariDataSource pool = new HikariDataSource(config)) {
            measure("warm-up", threads, 1, pool::getConnection);
            pooled = measure("pooled (" + poolSize + " hot)", threads, seconds, pool::getConnection);
        }
        Result fresh = measure("new connection per op", threads, seconds, () -> DriverManager.getConnection(jdbc));
        double ratio = pooled.opsPerSecond() / fresh.opsPerSecond();
        String table = String.format(Locale.ROOT, "pool: SELECT 1 by %d threads for %d s each against %s%n%s%n%s%n  pooled / new: %.1f×%n",
                threads, seconds, postgresUrl, pooled.line(), fresh.line(), ratio);
        String json = String.format(Locale.ROOT, "{\"scenario\":\"pool\",\"threads\":%d,\"pool_size\":%d,\"seconds\":%d,\"pooled_ops_per_s\":%.0f,"
                + "\"pooled_p99_ms\":%.2f,\"new_connection_ops_per_s\":%.0f,\"new_connection_p99_ms\":%.2f,\"ratio\":%.2f}", threads, poolSize,
                seconds, pooled.opsPerSecond(), pooled.p99Millis(), fresh.opsPerSecond(), fresh.p99Millis(), ratio);
        return new String[] {table, json};
    }

    private interface Connections {
        Connection get() throws SQLException;
    }

    private static Result measure(String mode, int threads, int seconds, Connections connections) throws Exception {
        LongAdder ops = new LongAdder();
        Recorder latency = new Recorder(3);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Exception> failure = new AtomicReference<>();
        List<Thread> callers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            callers.add(Thread.ofPlatform().start(() -> {
                while (!stop.get()) {
                    long start = System.nanoTime();
                    try (Connection c = connections.get(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
                        rs.next();
                    } catch (SQLException e) {
                        failure.compareAndSet(null, e);
                        return;
                    }
                    latency.recordValue((System.nanoTime() - start) / 1_000);
                    ops.increment();
                }
            }));
        }
        long start = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        for (Thread t : callers) {
            t.join(30_000);
        }
        if (failure.get() != null) {
            throw new IllegalStateException(mode + " failed: " + failure.get().getMessage(), failure.get());
        }
        var h = latency.getIntervalHistogram();
        return new Result(mode, ops.sum() / ((System.nanoTime() - start) / 1e9), h.getValueAtPercentile(50) / 1000.0,
                h.getValueAtPercentile(99) / 1000.0);
    }
}
