package dev.switchboard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.bench.wire.RequestChain;
import io.netty.buffer.ByteBufInputStream;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One HTTP client of the jobs bench that submits no-op jobs ({@code POST /v1/jobs}) one request after another
 * on its connection — one job each, or an NDJSON batch of {@code batch} — at its share of the offered rate or
 * as fast as answers come, and keeps the ids of the jobs submitted in the measured window (for their
 * submit→complete latency).
 */
final class JobSubmitter implements RequestChain.Conversation {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Target target;
    private final byte[] body;
    private final boolean ndjson;
    private final long nanosPerRequest;
    private final AtomicBoolean running;
    private final AtomicBoolean measuring;
    private final Queue<String> ids;
    private final Stats stats;
    /** When the next submit is due, on a fixed schedule (a late one is sent at once, not skipped). */
    private long due;

    /**
     * @param nanosPerJob this client's interval between jobs; 0: the next request as soon as the last is answered
     * @param batch       jobs per request: 1 sends the single JSON form, more an NDJSON batch
     */
    JobSubmitter(Target target, String type, int batch, long nanosPerJob, AtomicBoolean running, AtomicBoolean measuring, Queue<String> ids,
            Stats stats) {
        this.target = target;
        String job = "{\"type\":\"" + type + "\",\"payload\":{\"n\":1}}";
        this.ndjson = batch > 1;
        this.body = (ndjson ? (job + "\n").repeat(batch) : job).getBytes(StandardCharsets.UTF_8);
        this.nanosPerRequest = nanosPerJob * batch;
        this.running = running;
        this.measuring = measuring;
        this.ids = ids;
        this.stats = stats;
        this.due = System.nanoTime();
    }

    @Override
    public long waitNanos() {
        return nanosPerRequest == 0 ? 0 : due - System.nanoTime();
    }

    @Override
    public FullHttpRequest request() {
        due += nanosPerRequest;
        return ndjson ? target.post("/v1/jobs", "application/x-ndjson", body) : target.post("/v1/jobs", body);
    }

    @Override
    public boolean answered(FullHttpResponse answer) throws Exception {
        if (answer.status().code() != 202) {
            throw new IllegalStateException("submit answered " + answer.status() + ": " + answer.content().toString(StandardCharsets.UTF_8));
        }
        if (measuring.get()) {
            JsonNode answered = JSON.readTree((InputStream) new ByteBufInputStream(answer.content()));
            for (JsonNode job : ndjson ? answered.get("jobs") : List.of(answered)) {
                stats.published.increment();
                ids.add(job.get("id").asText());
            }
        }
        return running.get();
    }
}
