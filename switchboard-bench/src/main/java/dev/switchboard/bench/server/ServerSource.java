package dev.switchboard.bench.server;

import java.util.Map;

/**
 * Where a scenario gets its servers: a fresh child process per call ({@link ChildServer}), or the one
 * server given by {@code --url} for every call ({@link ExternalServer}).
 */
@FunctionalInterface
public interface ServerSource {
    /** @param settings server settings for a server the bench starts (e.g. {@code store=postgres}); ignored by an external server */
    ServerUnderTest start(Map<String, String> settings) throws Exception;

    default ServerUnderTest start() throws Exception {
        return start(Map.of());
    }

    /** True when every call answers one server someone else started (its store is then whatever that server has). */
    default boolean external() {
        return false;
    }

    /** Every call starts a new {@code switchboard} server process with an empty data folder. */
    static ServerSource children() {
        return ChildServer::start;
    }

    /** Every call answers the same running server; {@code pid} may be null. */
    static ServerSource external(String url, Long pid) {
        return new ServerSource() {
            @Override
            public ServerUnderTest start(Map<String, String> settings) {
                return new ExternalServer(url, pid);
            }

            @Override
            public boolean external() {
                return true;
            }
        };
    }
}
