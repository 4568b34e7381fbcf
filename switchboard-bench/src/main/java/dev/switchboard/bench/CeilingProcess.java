package dev.switchboard.bench;

import dev.switchboard.bench.server.ChildJvm;
import dev.switchboard.bench.server.ProcessGauge;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A {@link CeilingServer} in its own JVM ({@link CeilingServerMain}): at 10,000 subscribers each process
 * then holds one end of every socket (~10,000 descriptors) instead of the bench holding both (20,000),
 * and the server's queued blocks and garbage stay out of the clients' heap.
 */
final class CeilingProcess implements AutoCloseable {
    private final ChildJvm jvm;

    private CeilingProcess(ChildJvm jvm) {
        this.jvm = jvm;
    }

    /** @param sendBuffer each connection's {@code SO_SNDBUF} */
    static CeilingProcess start(int sendBuffer) throws IOException, InterruptedException {
        return new CeilingProcess(ChildJvm.start(CeilingServerMain.class.getName(), List.of(Integer.toString(sendBuffer))));
    }

    String url() {
        return jvm.url();
    }

    /** The ceiling server's CPU: near 100 % of a core per event loop, it and not the clients would be the limit. */
    ProcessGauge gauge() {
        return new ProcessGauge(jvm.pid());
    }

    /** Starts the deliveries on every connection, present and future. */
    void release() {
        try {
            jvm.input().write((CeilingServerMain.RELEASE + "\n").getBytes(StandardCharsets.US_ASCII));
            jvm.input().flush();
        } catch (IOException e) {
            throw new UncheckedIOException("the ceiling server process did not take the release", e);
        }
    }

    @Override
    public void close() {
        jvm.close();
    }
}
