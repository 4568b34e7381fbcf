package dev.switchboard.sidecar.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** The access log never makes a caller wait for its writer: a stuck log drops lines and counts them. */
class AccessLogTest {
    @Test
    void linesPastTheQueueAreDroppedAndCountedWhileTheWriterIsStuck() throws Exception {
        CountDownLatch stuck = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> written = new CopyOnWriteArrayList<>();
        Handler slow = new Handler() {
            @Override
            public void publish(LogRecord r) {
                stuck.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS); // a log file on a full disk, a pipe nobody reads
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                written.add(r.getMessage());
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger access = Logger.getLogger("switchboard.access");
        access.addHandler(slow);
        access.setUseParentHandlers(false); // 16,000 lines on the console would only slow the test
        SidecarMetrics metrics = new SidecarMetrics(List.of());
        AccessLog log = new AccessLog(metrics);
        try {
            log.log("GET", "/first", 200, 0, -1, 1_000, "t", "c", null);
            assertThat(stuck.await(10, TimeUnit.SECONDS)).isTrue();
            long start = System.nanoTime();
            for (int i = 0; i < AccessLog.QUEUE_LINES + 10; i++) {
                log.log("GET", "/" + i, 200, 0, -1, 1_000, "t", "c", null);
            }
            assertThat(System.nanoTime() - start).as("nanos to log while the writer is stuck").isLessThan(TimeUnit.SECONDS.toNanos(5));
            assertThat(metrics.scrape()).contains("switchboard_sidecar_access_log_dropped_total 10.0");
            release.countDown();
            await().atMost(Duration.ofSeconds(20)).until(() -> written.size() == 1 + AccessLog.QUEUE_LINES);
            log.close();
            assertThat(written).hasSize(1 + AccessLog.QUEUE_LINES).startsWith("GET /first status=200 bytes=0 upstream_ms=- total_ms=0.00 trace=t client=c");
        } finally {
            release.countDown();
            access.removeHandler(slow);
            access.setUseParentHandlers(true);
        }
    }
}
