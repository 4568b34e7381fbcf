package dev.switchboard.client;

/** A running job's last reported progress: {@code percent} from 0 to 100 and an optional {@code message}. */
public record JobProgress(int percent, String message) {}
