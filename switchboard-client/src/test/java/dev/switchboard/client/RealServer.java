package dev.switchboard.client;

import dev.switchboard.core.config.ConfigLoader;
import dev.switchboard.server.SwitchboardServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real Switchboard for the SDK's tests: loopback, port 0 at first, a temporary data directory. {@link #restart}
 * stops it and starts a new one on the same port and directory, as an operator's restart would.
 */
final class RealServer implements AutoCloseable {
    private final Path dataDir;
    private final String store;
    private final Map<String, String> settings;
    private SwitchboardServer server;

    private RealServer(String store, Map<String, String> settings) {
        this.store = store;
        this.settings = settings;
        try {
            this.dataDir = Files.createTempDirectory("switchboard-client-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.server = start(0);
    }

    static RealServer memory() {
        return new RealServer("memory", Map.of());
    }

    /** A memory store with these settings on top (same keys as the flags). */
    static RealServer memory(Map<String, String> settings) {
        return new RealServer("memory", settings);
    }

    static RealServer sqlite() {
        return new RealServer("sqlite", Map.of());
    }

    String url() {
        return server.url();
    }

    int port() {
        return server.port();
    }

    void stop() {
        server.shutdown();
    }

    /** Stops this server and starts another on the same port and data directory. */
    void restart() {
        int port = server.port();
        server.shutdown();
        server = start(port);
    }

    private SwitchboardServer start(int port) {
        try {
            Map<String, String> flags = new HashMap<>(Map.of("port", Integer.toString(port), "bind", "127.0.0.1",
                    "data", dataDir.toString(), "store", store, "shutdown-grace", "2s"));
            flags.putAll(settings);
            return SwitchboardServer.start(ConfigLoader.load(flags, Map.of()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.shutdown();
        try (Stream<Path> paths = Files.walk(dataDir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temp directory does not change the result
        }
    }
}
