package dev.switchboard.server.ws;

import dev.switchboard.microbench.SampleMessages;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The WebSocket frame of one message: {@code {"type":"message","topic",…,"offset",…,"time",…,"data",…}}
 * as JSON behind a text frame header. Like SSE, each message is framed once and the frame is shared by
 * every WebSocket subscriber; unlike SSE it goes through Jackson and formats the time.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class WsMessageFrameBenchmark {
    private long offset;

    /** A new message each time (one encoded once is served from its cache), including making it. */
    @Benchmark
    public byte[] messageFrame() {
        return SampleMessages.message(++offset).encoded(WsFrames.MESSAGE).bytes();
    }
}
