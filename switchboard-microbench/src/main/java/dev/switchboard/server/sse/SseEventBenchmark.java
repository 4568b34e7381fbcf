package dev.switchboard.server.sse;

import dev.switchboard.microbench.SampleMessages;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The SSE event of one message ({@code id: N}, a {@code data:} line, a blank line). Fan-out encodes
 * each message once, for its first SSE subscriber, and every other one shares the bytes: this is the
 * per-message cost of SSE delivery before any socket write.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SseEventBenchmark {
    private long offset;

    /** A new message each time (one encoded once is served from its cache), including making it. */
    @Benchmark
    public byte[] event() {
        return SampleMessages.message(++offset).encoded(SseFrames.EVENT).bytes();
    }
}
