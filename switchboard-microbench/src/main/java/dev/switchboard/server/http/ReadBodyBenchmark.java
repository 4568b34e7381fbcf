package dev.switchboard.server.http;

import dev.switchboard.core.hub.ReadResult;
import dev.switchboard.core.message.Message;
import dev.switchboard.microbench.SampleMessages;
import dev.switchboard.server.api.MessageJson;
import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The answer to a short or long poll, {@code {"topic",…,"messages":[…],"next",…,"epoch",…}}. Each
 * message's JSON is encoded once, by its first reader ({@link #item}); every answer then splices the
 * shared bytes ({@link #answer}), so a poll's cost grows with the bytes it sends, not with JSON work.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ReadBodyBenchmark {
    private long offset;
    private ReadResult page;

    /** A full page at the default limit (100 messages), already encoded: what every poller after the first is answered from. */
    @Setup
    public void encodedPage() {
        List<Message> messages = LongStream.rangeClosed(1, ReadQuery.DEFAULT_LIMIT).mapToObj(SampleMessages::message).toList();
        messages.forEach(m -> m.encoded(MessageJson.ITEM));
        page = new ReadResult(SampleMessages.TOPIC, messages, messages.getLast().offset(), 0, UUID.randomUUID().toString());
    }

    /** One message's {@code {"offset","time","data"}}, for a new message (including making it). */
    @Benchmark
    public byte[] item() {
        return SampleMessages.message(++offset).encoded(MessageJson.ITEM).bytes();
    }

    /** The body of a 100-message answer. A heap buffer: the GC frees it, as after the channel's release. */
    @Benchmark
    public ByteBuf answer() {
        return ReadBody.encode(page, 0L);
    }
}
