package dev.switchboard.sidecar.proxy;

import dev.switchboard.sidecar.SidecarConfig;
import dev.switchboard.sidecar.cache.ResponseCache;
import dev.switchboard.sidecar.grip.GripHolds;
import dev.switchboard.sidecar.ops.AccessLog;
import dev.switchboard.sidecar.ops.SidecarMetrics;

/** What every proxied exchange needs, built once per sidecar; {@code cache} is null when caching is off. */
public record ProxyContext(SidecarConfig config, UpstreamPool pool, SidecarMetrics metrics, AccessLog accessLog, GripHolds holds,
                           ResponseCache cache) {}
