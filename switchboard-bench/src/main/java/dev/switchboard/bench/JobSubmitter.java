package dev.switchboard.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.bench.wire.RequestChain;
import io.netty.buffer.ByteBufInputStream;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One HTTP client of the jobs bench that submits no-op jobs ({@code POST /v1/jobs}) one after another on
 * its connection, at its share of the offered rate or as fast as answers come, and keeps the ids of the
 * jobs submitted in the measured window (for their submit→complete latency).
 */
final class JobSubmitter implements RequestChain.Conversation {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Target target;
    private final byte[] body;
    private final long nanosPerJob;
    private final AtomicBoolean running;
    private final AtomicBoolean measuring;
    private final Queue<String> ids;
    private final Stats stats;
    /** When the next submit is due, on a fixed schedule (a late one is sent at once, not skipped). */
    private long due;

    /** @param nanosPerJob this client's interval between submits; 0: the next as soon as the last is answered */
    JobSubmitter(Target target, String type, long nanosPerJob, AtomicBoolean running, AtomicBoolean measuring, Queue<String> ids, Stats stats) {
        this.target = target;
        this.body = ("{\"type\":\"" + type + "\",\"payload\":{\"n\":1}}").getBytes(StandardCharsets.UTF_8);
        this.nanosPerJob = nanosPerJob;
        this.running = running;
        this.measuring = measuring;
        this.ids = ids;
        this.stats = stats;
        this.due = System.nanoTime();
    }

    @Override
    public long waitNanos() {
        return nanosPerJob == 0 ? 0 : due - System.nanoTime();
    }

    @Override
    public FullHttpRequest request() {
        due += nanosPerJob;
        return target.post("/v1/jobs", body);
    }

    @Override
    public boolean answered(FullHttpResponse answer) throws Exception {
        if (answer.status().code() != 202) {
            throw new IllegalStateException("submit answered " + answer.status() + ": " + answer.content().toString(StandardCharsets.UTF_8));
        }
        if (measuring.get()) {
            stats.published.increment();
            ids.add(JSON.readTree((InputStream) new ByteBufInputStream(answer.content())).get("id").asText());
        }
        return running.get();
    }
}
