package dev.switchboard.server;

import dev.switchboard.core.config.ServerConfig;
import dev.switchboard.core.hub.Hub;
import dev.switchboard.server.ops.ServerMetrics;

/** What every endpoint needs: the hub, the settings and the metrics. */
public record ServerContext(Hub hub, ServerConfig config, ServerMetrics metrics) {}
