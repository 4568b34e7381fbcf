package dev.switchboard.server.postgres;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL cluster of its own, in a temporary folder on a free port, for tests that must stop and
 * start the database under a running server. Uses the machine's PostgreSQL binaries; as root (the CI
 * machine) it runs them as the {@code postgres} user, since PostgreSQL refuses to run as root.
 */
final class ThrowawayPostgres implements AutoCloseable {
    private final Path dir;
    private final Path bin;
    private final int port;

    private ThrowawayPostgres(Path dir, Path bin, int port) {
        this.dir = dir;
        this.bin = bin;
        this.port = port;
    }

    static ThrowawayPostgres start() throws Exception {
        Path bin;
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            bin = versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.naturalOrder()).orElseThrow(() -> new IllegalStateException("no PostgreSQL binaries under /usr/lib/postgresql"));
        }
        Path dir = Files.createTempDirectory("switchboard-pg");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ThrowawayPostgres pg = new ThrowawayPostgres(dir, bin, port);
        if (isRoot()) {
            run(List.of("chown", "postgres:postgres", dir.toString()));
        }
        pg.pg("initdb", "-D", dir.resolve("data").toString(), "-A", "trust", "-U", "postgres", "--no-sync");
        pg.ctl("start");
        return pg;
    }

    String url() {
        return "postgresql://postgres@127.0.0.1:" + port + "/postgres";
    }

    /** Stops the database at once (clients are cut off), as a crash or a failover would. */
    void stop() throws Exception {
        ctl("stop", "-m", "immediate");
    }

    void startAgain() throws Exception {
        ctl("start");
    }

    @Override
    public void close() throws Exception {
        try {
            ctl("stop", "-m", "immediate");
        } catch (IllegalStateException alreadyStopped) {
            // fine: the test stopped it
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private void ctl(String action, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("pg_ctl", "-D", dir.resolve("data").toString(), "-w", "-l", dir.resolve("log").toString()));
        if (action.equals("start")) {
            args.addAll(List.of("-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off"));
        }
        args.add(action);
        args.addAll(List.of(more));
        pg(args.toArray(String[]::new));
    }

    private void pg(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        if (isRoot()) {
            cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        cmd.add(bin.resolve(args[0]).toString());
        cmd.addAll(List.of(args).subList(1, args.length));
        run(cmd);
    }

    private static void run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }
}
