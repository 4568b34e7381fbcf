package dev.switchboard.bench.server;

import java.util.OptionalLong;

/** A server someone else started ({@code --url}, optionally {@code --server-pid}): measured, never stopped. */
record ExternalServer(String url, Long knownPid) implements ServerUnderTest {
    @Override
    public OptionalLong pid() {
        return knownPid == null ? OptionalLong.empty() : OptionalLong.of(knownPid);
    }

    @Override
    public void close() {}
}
