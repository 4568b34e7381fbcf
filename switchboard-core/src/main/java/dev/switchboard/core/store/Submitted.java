package dev.switchboard.core.store;

/** The answer to a submit: the job, and whether it was created now (false: an earlier job with the same key). */
public record Submitted(Job job, boolean created) {}
