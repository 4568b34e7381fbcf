package dev.switchboard.bench;

import dev.switchboard.bench.wire.RequestChain;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.function.LongSupplier;

/**
 * Publishes NDJSON batches in a loop on one connection, each line {@code {"t":<nanoTime>,"p":"xxx…"}}
 * padded to the message size, so a consumer can tell each message's publish→delivery latency. With a
 * rate, batches are paced on a fixed schedule (late batches are sent at once, not skipped: no
 * coordinated omission on the publishing side); without one, as fast as the server answers — or, when
 * {@link #gate gated}, as fast as the slowest subscriber keeps up within a window (a fan-out run that
 * outruns its subscribers measures slow-consumer closes, not fan-out). A {@link RequestChain}
 * conversation: each batch goes out from the event loop that read the last answer or ran the timer.
 */
public final class Publisher implements RequestChain.Conversation {
    /** @param ratePerSecond messages per second for this publisher, 0 for as fast as possible */
    public record Plan(String topic, String durability, int batch, int messageBytes, double ratePerSecond) {}

    /** How long a gated publisher waits before it looks at the slowest subscriber again. */
    private static final long GATE_POLL_NANOS = 50_000;

    private final Target target;
    private final String path;
    private final Plan plan;
    private final long nanosPerBatch;
    private final Stats stats;
    private long acknowledged;
    private long due = System.nanoTime();
    private long sent;
    private LongSupplier slowest;
    private long window;
    private volatile boolean stopped;

    public Publisher(Target target, Plan plan, Stats stats) {
        this.target = target;
        this.path = "/v1/topics/" + plan.topic() + "/messages?durability=" + plan.durability();
        this.plan = plan;
        this.nanosPerBatch = plan.ratePerSecond() <= 0 ? 0 : (long) (1e9 * plan.batch() / plan.ratePerSecond());
        this.stats = stats;
    }

    /**
     * Holds each batch until the slowest subscriber is at most {@code window} messages behind; only
     * for a fresh topic with this one publisher, whose offsets are then 1, 2, 3, … as acknowledged.
     */
    public Publisher gate(LongSupplier slowestOffset, long window) {
        this.slowest = slowestOffset;
        this.window = window;
        return this;
    }

    /** Ends the conversation before its next batch. */
    public void stop() {
        stopped = true;
    }

    @Override
    public long waitNanos() {
        if (stopped) {
            return 0;
        }
        if (nanosPerBatch > 0 && due - System.nanoTime() > 0) {
            return due - System.nanoTime();
        }
        return slowest != null && acknowledged - slowest.getAsLong() > window ? GATE_POLL_NANOS : 0;
    }

    @Override
    public FullHttpRequest request() {
        if (stopped) {
            return null;
        }
        due += nanosPerBatch;
        sent = System.nanoTime();
        return target.post(path, "application/x-ndjson", body(sent));
    }

    @Override
    public boolean answered(FullHttpResponse answer) {
        if (answer.status().code() / 100 != 2) {
            throw new IllegalStateException("publish to " + plan.topic() + " answered " + answer.status());
        }
        acknowledged += plan.batch();
        stats.published(plan.batch(), System.nanoTime() - sent);
        return !stopped;
    }

    private byte[] body(long sentNanos) {
        String head = "{\"t\":" + sentNanos + ",\"p\":\"";
        String line = head + "x".repeat(Math.max(0, plan.messageBytes() - head.length() - 2)) + "\"}\n";
        return line.repeat(plan.batch()).getBytes(StandardCharsets.UTF_8);
    }
}
