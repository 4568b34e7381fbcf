package dev.switchboard.bench.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A server main class in its own JVM, from the bench's own class path: the bench's figures then hold the
 * server's CPU time, memory and file descriptors apart from the load generator's. It gets the JVM flags
 * {@code ./switchboard} gives a server on this machine (serial GC and a 32 MiB young generation on ≤ 2
 * CPUs: see that script), so figures match what users run. The main class prints {@value #LISTENING}
 * and its URL once it accepts connections.
 */
public final class ChildJvm implements AutoCloseable {
    public static final String LISTENING = "listening on ";
    private static final int LOG_LINES_KEPT = 40;

    private final Process process;
    private final String url;

    private ChildJvm(Process process, String url) {
        this.process = process;
        this.url = url;
    }

    public static ChildJvm start(String mainClass, List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "--enable-native-access=ALL-UNNAMED"));
        if (Runtime.getRuntime().availableProcessors() <= 2) {
            cmd.addAll(List.of("-XX:+UseSerialGC", "-Xmn32m"));
        }
        cmd.addAll(List.of("-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")), mainClass));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        Deque<String> log = new ArrayDeque<>();
        CompletableFuture<String> listening = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("bench-child-log").start(() -> readLog(p, log, listening));
        try {
            return new ChildJvm(p, listening.get(60, TimeUnit.SECONDS));
        } catch (ExecutionException | TimeoutException e) {
            p.destroyForcibly().waitFor();
            throw new IllegalStateException(mainClass + " did not start (" + e.getMessage() + "); its last lines:\n" + String.join("\n", log));
        }
    }

    /** Keeps the last lines (for the error above) and discards the rest, so the child never blocks on a full pipe. */
    private static void readLog(Process p, Deque<String> log, CompletableFuture<String> listening) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith(LISTENING)) {
                    listening.complete(line.substring(LISTENING.length()).strip());
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
        listening.completeExceptionally(new IllegalStateException("the process closed its output without listening"));
    }

    public String url() {
        return url;
    }

    public long pid() {
        return process.pid();
    }

    /** The child's standard input, for commands its main class reads. */
    public OutputStream input() {
        return process.getOutputStream();
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
    }
}
