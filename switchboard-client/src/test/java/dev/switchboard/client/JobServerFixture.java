package dev.switchboard.client;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * A real server (memory store, retries 50..100 ms apart so that failing jobs end within a test) and a
 * client, shared by a test class; the workers a test started are closed after it. Each test takes job
 * types of its own, so tests never claim each other's jobs.
 */
abstract class JobServerFixture {
    static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final AtomicInteger TYPES = new AtomicInteger();
    static RealServer server;
    static SwitchboardClient client;

    @BeforeAll
    static void start() {
        server = RealServer.memory(Map.of("job-backoff", "50ms", "job-max-backoff", "100ms"));
        client = SwitchboardClient.builder(server.url()).requestTimeout(Duration.ofSeconds(10)).build();
    }

    @AfterEach
    void stopWorkers() {
        client.workers().forEach(JobWorker::close);
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    static String type(String prefix) {
        return prefix + "-" + TYPES.incrementAndGet();
    }
}
