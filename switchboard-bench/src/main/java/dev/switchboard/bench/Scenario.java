package dev.switchboard.bench;

import dev.switchboard.bench.result.ScenarioResult;
import dev.switchboard.bench.server.ServerSource;

/**
 * One end-to-end scenario (patterns, fanout, connections, …): a record of its settings that runs
 * against servers from a {@link ServerSource} and returns the common result shape. Every run is bounded
 * in time by its settings.
 */
public interface Scenario {
    ScenarioResult run(ServerSource servers) throws Exception;
}
