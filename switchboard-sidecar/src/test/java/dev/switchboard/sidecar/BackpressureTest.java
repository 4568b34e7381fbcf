package dev.switchboard.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Bodies stream without being buffered whole: when one side stops reading, the sidecar stops reading
 * the other (auto-read backpressure), so what is in flight stays at socket buffers, not body size.
 */
class BackpressureTest extends SidecarFixture {
    private static final long BIG = 128L << 20;
    /** Waits until {@code counter} stops moving (three equal readings 100 ms apart). */
    private static long settled(AtomicLong counter) {
        long[] last = {-1};
        int[] same = {0};
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
            long now = counter.get();
            same[0] = now == last[0] ? same[0] + 1 : 0;
            last[0] = now;
            return same[0] >= 3;
        });
        return last[0];
    }

    @Test
    void aClientThatStopsReadingStopsTheAppsResponse() throws Exception {
        try (Socket s = new Socket("127.0.0.1", sidecar.port())) {
            s.setSoTimeout(20_000);
            s.setReceiveBufferSize(64 * 1024);
            s.getOutputStream().write("GET /big HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            in.readNBytes(1024); // the head and a little: then the client stops reading
            long stalled = settled(app.bigWritten);
            assertThat(stalled).as("bytes the app could write while the client read none").isLessThan(BIG / 4);
            long total = 1024;
            byte[] buf = new byte[1 << 16];
            for (int n; total < BIG && (n = in.read(buf)) >= 0; ) {
                total += n;
            }
            assertThat(app.bigWritten.get()).isEqualTo(BIG);
        }
    }

    @Test
    void anAppThatStopsReadingStopsTheClientsUpload() throws Exception {
        AtomicLong sent = new AtomicLong();
        try (Socket s = new Socket("127.0.0.1", sidecar.port())) {
            s.setSendBufferSize(64 * 1024);
            OutputStream out = s.getOutputStream();
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    out.write(("POST /sink HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: " + BIG + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    byte[] chunk = new byte[64 * 1024];
                    for (long i = 0; i < BIG; i += chunk.length) {
                        out.write(chunk);
                        sent.addAndGet(chunk.length);
                    }
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            long stalled = settled(sent);
            assertThat(stalled).as("bytes the client could send while the app read 8 MiB").isLessThan(BIG / 4);
            app.release();
            writer.join(Duration.ofSeconds(20));
            s.setSoTimeout(20_000);
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(answer).startsWith("HTTP/1.1 200").endsWith(Long.toString(BIG));
        }
    }
}
