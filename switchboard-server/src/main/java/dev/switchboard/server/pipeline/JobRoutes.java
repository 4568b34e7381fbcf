package dev.switchboard.server.pipeline;

/** The endpoints of async jobs: clients submit and follow, workers claim and report. */
public record JobRoutes(
        HttpRoute submit,
        HttpRoute status,
        HttpRoute events,
        HttpRoute cancel,
        HttpRoute heartbeat,
        HttpRoute progress,
        HttpRoute complete,
        HttpRoute fail,
        HttpRoute claim) {}
