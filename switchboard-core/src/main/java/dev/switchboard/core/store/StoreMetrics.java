package dev.switchboard.core.store;

/** What a store reports about its group commits; {@link #NONE} when nobody listens. */
public interface StoreMetrics {
    StoreMetrics NONE = (requests, messages, nanos) -> {};

    /** One transaction committed {@code requests} appends holding {@code messages} messages in {@code nanos}. */
    void committed(int requests, int messages, long nanos);
}
