package dev.switchboard.client;

import java.time.Duration;

/** Receives a {@link JobWatch}'s news, in order, from the watch's own thread. Only {@link #onChange} is required. */
@FunctionalInterface
public interface JobListener {
    /**
     * The job as it is now: first when the watch starts, then after each change it sees (versions only grow;
     * changes made within one round trip arrive as the latest of them). The last call is the finished job.
     */
    void onChange(Job job);

    /** The connection failed; the watch asks again after {@code delay}. */
    default void onReconnecting(SwitchboardClientException cause, Duration delay) {}

    /**
     * The watch ended: {@code cause} is null when the job finished or the watch was closed, else the refusal (e.g.
     * {@code 404 not-found}) or the listener's exception. {@code last} is the last job delivered (null if none).
     */
    default void onEnd(Job last, Throwable cause) {}
}
