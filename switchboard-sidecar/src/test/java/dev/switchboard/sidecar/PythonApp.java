package dev.switchboard.sidecar;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The Python standard-library app of {@code src/test/resources/python/app.py}, as a child process on a real port. */
final class PythonApp implements AutoCloseable {
    private final Process process;
    private final int port;

    private PythonApp(int port) throws Exception {
        Path script = Path.of(PythonApp.class.getResource("/python/app.py").toURI());
        process = new ProcessBuilder("python3", script.toString(), Integer.toString(port)).redirectErrorStream(true).start();
        var out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String first = out.readLine(); // "listening on N", or the interpreter's complaint before it exits
        if (first == null || !first.startsWith("listening on ")) {
            process.destroyForcibly();
            throw new IllegalStateException("python3 app.py did not start: " + first);
        }
        this.port = Integer.parseInt(first.substring("listening on ".length()).trim());
        Thread.ofVirtual().start(() -> out.lines().forEach(line -> { })); // keeps its output pipe drained
    }

    static PythonApp start() throws Exception {
        return new PythonApp(0);
    }

    /** Another process on the port of a stopped one: the app restarted. */
    static PythonApp startOn(int port) throws Exception {
        return new PythonApp(port);
    }

    int port() {
        return port;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    /** SIGKILL: the app dies without closing anything cleanly. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
