package dev.switchboard.store.postgres;

import java.util.function.IntSupplier;

/** What the connection pool reports, for {@code /metrics}; {@link #NONE} when nobody listens. */
public interface PoolMetrics {
    PoolMetrics NONE = new PoolMetrics() {};

    /** Once, when the pool opens: live readings of its connections (borrowed, idle, and callers waiting for one). */
    default void bindPool(IntSupplier active, IntSupplier idle, IntSupplier pending) {}

    /** A caller got a connection after waiting {@code nanos}. */
    default void acquired(long nanos) {}

    /** A caller gave up: no connection came free within the connection timeout. */
    default void exhausted() {}
}
