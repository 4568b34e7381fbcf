package dev.switchboard.cli;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code switchboard server} as a child process, the way a user runs it: for crash and signal tests.
 * Public for the fault tests of {@code dev.switchboard.cli.groups}.
 */
public final class ServerProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+?:(\\d+))");

    private final Process process;
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final Thread logReader;
    private volatile String url;

    private ServerProcess(Process process) {
        this.process = process;
        this.logReader = Thread.ofVirtual().start(this::readLog);
    }

    /** Starts the server on a free port with its store in {@code data}; returns once it accepts connections. */
    public static ServerProcess start(Path data, String... extraFlags) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp", classPath,
                SwitchboardCommand.class.getName(), "server", "--port", "0", "--data", data.toString()));
        cmd.addAll(List.of(extraFlags));
        ServerProcess server = new ServerProcess(new ProcessBuilder(cmd).redirectErrorStream(true).start());
        try {
            await().atMost(Duration.ofSeconds(30))
                    .failFast("the server process exited before it was listening", () -> !server.process.isAlive())
                    .until(() -> server.url != null);
        } catch (RuntimeException e) {
            server.close(); // a server that never listened is not left running
            server.logReader.join(5000); // the last lines may still be in the pipe
            throw new IllegalStateException(e.getMessage() + "; its log:\n" + server.log(), e);
        }
        return server;
    }

    public String url() {
        return url;
    }

    Process process() {
        return process;
    }

    public String log() {
        return String.join("\n", log);
    }

    /** SIGKILL: no shutdown hook, no flush — what a crash or an OOM kill does. */
    public void kill() throws InterruptedException {
        process.toHandle().destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM: what systemd, Kubernetes and Ctrl-C do; waits for the process to end. */
    int terminate() throws InterruptedException {
        // Through the handle: Process.destroy() would also close our end of the log pipe.
        process.toHandle().destroy();
        int exit = process.waitFor();
        logReader.join(5000); // the last lines may still be in the pipe
        return exit;
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }

    private void readLog() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                log.add(line);
                Matcher m = LISTENING.matcher(line);
                if (url == null && m.find()) {
                    url = m.group(1);
                }
            }
        } catch (IOException e) {
            log.add("(log reader stopped: " + e + ")");
        }
    }
}
