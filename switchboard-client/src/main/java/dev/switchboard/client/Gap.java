package dev.switchboard.client;

/** Retention removed offsets {@code after+1 .. first-1} before they were read; delivery continues at {@code first}. */
public record Gap(long after, long first) {}
