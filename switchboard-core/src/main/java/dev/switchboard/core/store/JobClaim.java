package dev.switchboard.core.store;

/** A job handed to one worker: {@code lease} is the token its heartbeat, progress, complete and fail calls carry. */
public record JobClaim(Job job, String lease, long leaseUntilMillis) {}
