package dev.switchboard.core.config;

import java.time.Duration;

/**
 * Async-job defaults and caps; see {@link Setting} for each default.
 *
 * @param attempts   attempts of a job that names none
 * @param timeout    run time of one attempt for a job that names none
 * @param maxTimeout longest attempt a job may ask for
 * @param lease      lease of a claim that names none: a worker silent for longer loses the job
 * @param backoff    first retry delay; each further retry doubles it (with jitter) up to maxBackoff
 * @param retention  how long finished jobs (and their status) are kept
 */
public record JobSettings(int attempts, Duration timeout, Duration maxTimeout, Duration lease, Duration backoff, Duration maxBackoff,
        Duration retention) {}
