package dev.switchboard.core.store;

import dev.switchboard.core.message.Message;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The store SPI: a durable, ordered, gap-free log per topic. Every store passes the contract suite in
 * {@code switchboard-store-tck}.
 *
 * <p>Threading: {@link #append} never blocks the caller; it queues the request and completes the
 * future from the store's own thread. The other methods block on I/O and must not be called from an
 * event loop.
 */
public interface LogStore extends AutoCloseable {

    /** Identity of this store's data: a new value when the data was created anew (wiped, replaced). */
    String epoch();

    /**
     * Registers the one listener told of commits (the hub). Must be called before the first append.
     */
    void listen(AppendListener listener);

    /** Appends the drafts under consecutive offsets; many concurrent appends share one commit. */
    CompletableFuture<Appended> append(AppendRequest request);

    /** Up to {@code limit} retained messages with offsets greater than {@code after}, in offset order. */
    List<Message> read(String topic, long after, int limit);

    /** The retained range of one topic ({@link TopicHead#empty} for an unknown topic). */
    TopicHead head(String topic);

    /**
     * Every client topic that has ever had a message; the server's reserved {@code _…} topics (one per
     * job) are left out, so listings and retention passes do not grow with the number of jobs.
     */
    List<TopicHead> topics();

    /** Deletes the oldest messages beyond the retention; returns how many. Offsets are not reused. */
    long trim(String topic, Retention retention, long nowMillis);

    /**
     * Removes reserved topics ({@code _…}) with all their messages, when what they describe is gone (a
     * job's events, once the job is purged). Their names are never used again, so no offset is reused.
     * Returns how many existed.
     */
    int drop(List<String> reservedTopics);

    /** The consumer groups kept in this store, beside the log they read. */
    GroupStore groups();

    /** The async jobs kept in this store. */
    JobStore jobs();

    /** Completes queued appends, flushes and releases resources. */
    @Override
    void close();
}
