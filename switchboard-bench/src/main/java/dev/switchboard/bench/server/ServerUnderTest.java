package dev.switchboard.bench.server;

import java.util.OptionalLong;

/** A server a scenario measures: where it listens and, when its process is known, its pid for CPU and memory figures. */
public interface ServerUnderTest extends AutoCloseable {
    String url();

    /** The server's process id; empty when the bench does not know it (CPU and RSS figures are then left out). */
    OptionalLong pid();

    /** Stops the server if the bench started it; a server given by {@code --url} is left running. */
    @Override
    void close();

    default ProcessGauge gauge() {
        return pid().isPresent() ? new ProcessGauge(pid().getAsLong()) : ProcessGauge.NONE;
    }
}
