package dev.switchboard.core.jobs;

import dev.switchboard.core.store.Job;

/** What jobs count; the server backs it with Micrometer, tests use {@link #NONE}. */
public interface JobMetrics {
    JobMetrics NONE = new JobMetrics() {};

    default void submitted(String type) {}

    /** A worker claimed a job {@code waitedMillis} after it became due. */
    default void claimed(String type, long waitedMillis) {}

    /** An attempt ended ({@code job} is the record after it), having run {@code ranMillis}. */
    default void attemptEnded(Job job, long ranMillis) {}
}
