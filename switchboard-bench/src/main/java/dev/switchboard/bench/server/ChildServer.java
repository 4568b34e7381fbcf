package dev.switchboard.bench.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A Switchboard server in its own JVM, started by the bench from its own class path with an empty data
 * folder on a free port: its CPU time and RSS are then the server's alone, not the load generator's.
 * It gets the JVM flags {@code ./switchboard} gives a server on this machine (serial GC and a 32 MiB
 * young generation on ≤ 2 CPUs: see that script), so figures match what users run.
 */
final class ChildServer implements ServerUnderTest {
    private static final int LOG_LINES_KEPT = 40;

    private final Process process;
    private final Path data;
    private final String url;

    private ChildServer(Process process, Path data, String url) {
        this.process = process;
        this.data = data;
        this.url = url;
    }

    static ChildServer start(Map<String, String> extraSettings) throws IOException, InterruptedException {
        Path data = Files.createTempDirectory("switchboard-bench-server");
        Map<String, String> settings = new LinkedHashMap<>(Map.of("port", "0", "data", data.toString()));
        settings.putAll(extraSettings);
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "--enable-native-access=ALL-UNNAMED"));
        if (Runtime.getRuntime().availableProcessors() <= 2) {
            cmd.addAll(List.of("-XX:+UseSerialGC", "-Xmn32m"));
        }
        cmd.addAll(List.of("-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")), ServerMain.class.getName()));
        settings.forEach((k, v) -> cmd.add(k + "=" + v));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        Deque<String> log = new ArrayDeque<>();
        CompletableFuture<String> listening = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("bench-server-log").start(() -> readLog(p, log, listening));
        try {
            return new ChildServer(p, data, listening.get(60, TimeUnit.SECONDS));
        } catch (ExecutionException | TimeoutException e) {
            p.destroyForcibly().waitFor();
            throw new IllegalStateException("the bench's server did not start (" + e.getMessage() + "); its last lines:\n" + String.join("\n", log));
        }
    }

    /** Keeps the last lines (for the error above) and discards the rest, so the child never blocks on a full pipe. */
    private static void readLog(Process p, Deque<String> log, CompletableFuture<String> listening) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith(ServerMain.LISTENING)) {
                    listening.complete(line.substring(ServerMain.LISTENING.length()).strip());
                }
                synchronized (log) {
                    log.addLast(line);
                    if (log.size() > LOG_LINES_KEPT) {
                        log.removeFirst();
                    }
                }
            }
        } catch (IOException e) {
            // the process ended; the completion below says so
        }
        listening.completeExceptionally(new IllegalStateException("the server process closed its output without listening"));
    }

    @Override
    public String url() {
        return url;
    }

    @Override
    public OptionalLong pid() {
        return OptionalLong.of(process.pid());
    }

    @Override
    public void close() {
        process.toHandle().destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(data)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete the bench server's data folder " + data, e);
        }
    }
}
