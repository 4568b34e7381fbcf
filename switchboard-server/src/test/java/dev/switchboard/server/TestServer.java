package dev.switchboard.server;

import dev.switchboard.core.config.ConfigLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real server for tests: port 0, loopback, a fresh temporary data directory, and the given settings
 * on top (same keys as the flags: {@code store}, {@code max-body}, …). Closing it stops the server and
 * deletes the directory.
 *
 * <pre>{@code try (TestServer s = TestServer.start(Map.of("store", "memory"))) { ... s.url() ... }}</pre>
 */
public final class TestServer implements AutoCloseable {
    private final SwitchboardServer server;
    private final Path dataDir;

    private TestServer(SwitchboardServer server, Path dataDir) {
        this.server = server;
        this.dataDir = dataDir;
    }

    public static TestServer start(Map<String, String> settings) {
        Path dir;
        try {
            dir = Files.createTempDirectory("switchboard-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> flags = new HashMap<>();
        flags.put("port", "0");
        flags.put("bind", "127.0.0.1");
        flags.put("data", dir.toString());
        flags.putAll(settings);
        try {
            return new TestServer(SwitchboardServer.start(ConfigLoader.load(flags, Map.of())), dir);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the test server", e);
        } catch (RuntimeException e) {
            delete(dir);
            throw e;
        }
    }

    /** {@code http://127.0.0.1:PORT}, without a trailing slash. */
    public String url() {
        return server.url();
    }

    public SwitchboardServer server() {
        return server;
    }

    /** An SSLContext that trusts exactly this server's (self-signed) certificate; for servers started with TLS. */
    public javax.net.ssl.SSLContext clientSslContext() {
        try {
            java.security.KeyStore trust = java.security.KeyStore.getInstance(java.security.KeyStore.getDefaultType());
            trust.load(null, null);
            var chain = server.certificateChain();
            if (chain.isEmpty()) {
                throw new IllegalStateException("this test server has no TLS: start it with tls-self-signed=true");
            }
            for (int i = 0; i < chain.size(); i++) {
                trust.setCertificateEntry("server-" + i, chain.get(i));
            }
            var tmf = javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            var ssl = javax.net.ssl.SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            return ssl;
        } catch (java.security.GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot trust the test server's certificate", e);
        }
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            delete(dataDir);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A leftover temp directory is harmless; the test result is what matters.
        }
    }
}
