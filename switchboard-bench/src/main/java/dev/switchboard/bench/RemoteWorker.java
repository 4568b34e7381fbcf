package dev.switchboard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.bench.wire.RequestChain;
import io.netty.buffer.ByteBufInputStream;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * One remote worker of the jobs bench, as a worker in any language would be written: long-poll claim
 * ({@code POST /v1/workers/claim?type=T&wait=1s}, {@code &max=N} for several jobs), then complete each
 * claimed job with its lease token, one request at a time on its connection, then claim again.
 */
final class RemoteWorker implements RequestChain.Conversation {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] NO_BODY = new byte[0];

    private final Target target;
    private final String claim;
    private final boolean batch;
    private final AtomicBoolean running;
    private final LongAdder completed;
    /** Claimed jobs not yet completed, {id, lease}; the head's complete is the request in flight. */
    private final ArrayDeque<String[]> claimed = new ArrayDeque<>();

    RemoteWorker(Target target, String type, int claimMax, AtomicBoolean running, LongAdder completed) {
        this.target = target;
        this.claim = "/v1/workers/claim?type=" + type + "&wait=1s" + (claimMax > 1 ? "&max=" + claimMax : "");
        this.batch = claimMax > 1;
        this.running = running;
        this.completed = completed;
    }

    @Override
    public FullHttpRequest request() {
        String[] job = claimed.peek();
        return job == null ? target.post(claim, NO_BODY)
                : target.post("/v1/jobs/" + job[0] + "/complete", ("{\"lease\":\"" + job[1] + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public boolean answered(FullHttpResponse answer) throws Exception {
        int status = answer.status().code();
        if (claimed.poll() != null) { // that was a complete
            if (status != 200) {
                throw new IllegalStateException("complete answered " + answer.status() + ": " + answer.content().toString(StandardCharsets.UTF_8));
            }
            completed.increment();
        } else if (status == 200) {
            JsonNode body = JSON.readTree((InputStream) new ByteBufInputStream(answer.content()));
            for (JsonNode c : batch ? body.get("jobs") : List.of(body)) {
                claimed.add(new String[] {c.get("job").get("id").asText(), c.get("lease").asText()});
            }
        } else if (status != 204) {
            throw new IllegalStateException("claim answered " + answer.status() + ": " + answer.content().toString(StandardCharsets.UTF_8));
        }
        // Jobs already claimed are completed even after the run ends: their leases would otherwise expire into retries.
        return !claimed.isEmpty() || running.get();
    }
}
