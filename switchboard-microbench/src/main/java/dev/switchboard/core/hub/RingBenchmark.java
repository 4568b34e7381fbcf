package dev.switchboard.core.hub;

import dev.switchboard.core.config.Setting;
import dev.switchboard.core.message.Message;
import dev.switchboard.microbench.SampleMessages;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A topic's ring of recent messages, full at the default ring size. Every committed message is added
 * under the topic's lock, and every fan-out drain and every poll the ring covers reads a window from
 * it under the same lock, so both stand between a commit and its deliveries.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RingBenchmark {

    @State(Scope.Thread)
    public static class FullRing {
        Ring ring;
        long last;

        @Setup
        public void fill() {
            int size = Integer.parseInt(Setting.RING_SIZE.defaultValue());
            ring = new Ring(size);
            while (last < size) {
                ring.add(SampleMessages.message(++last));
            }
        }
    }

    @State(Scope.Thread)
    public static class Window {
        /** 1: a drain for subscribers that keep up with one publisher; 100: a poll at the default limit. */
        @Param({"1", "100"})
        public int messages;
    }

    /** The next offset into a full ring (the oldest message falls out), including making the message, as a commit does. */
    @Benchmark
    public void add(FullRing r) {
        r.ring.add(SampleMessages.message(++r.last));
    }

    /** The newest {@code messages} messages: what a drain or a poll copies out. */
    @Benchmark
    public List<Message> after(FullRing r, Window w) {
        return r.ring.after(r.last - w.messages, w.messages);
    }
}
