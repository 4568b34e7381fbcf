package dev.switchboard.server.sse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.TestServer;
import dev.switchboard.server.stream.LoopSweep;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One stream's part in the heartbeat sweep, on an {@link EmbeddedChannel}: the sweep's visits are
 * called directly with the time they would see, so nothing here waits for a clock.
 */
class SseHeartbeatTest {
    private static final long HEARTBEAT = Duration.ofMillis(200).toNanos();
    private static TestServer server;

    private final LoopSweep sweep = new LoopSweep(HEARTBEAT / 4);
    private SseSession session;
    private EmbeddedChannel channel;
    private long started; // when the stream's first write was done

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("store", "memory", "sse-heartbeat", "200ms"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void openStream() {
        session = new SseSession(server.server().context(), "heartbeats", sweep);
        channel = new EmbeddedChannel(session);
        session.skipped(null, 0, 1); // starts the stream with a write: headers, retry, a gap event
        started = System.nanoTime(); // at or after that write
        written();
    }

    @AfterEach
    void closeStream() {
        channel.finishAndReleaseAll();
    }

    @Test
    void aStreamThatWroteNothingForSseHeartbeatGetsAHeartbeat() {
        session.sweep(started + HEARTBEAT + 1);

        assertThat(written()).containsExactly(": heartbeat\n\n");
    }

    @Test
    void aStreamThatWroteWithinSseHeartbeatGetsNone() {
        session.sweep(started + HEARTBEAT / 2);

        assertThat(written()).isEmpty();
    }

    @Test
    void theHeartbeatCountsAsAWriteSoTheNextOneWaitsAnotherInterval() {
        long first = started + HEARTBEAT;
        session.sweep(first);
        session.sweep(first + HEARTBEAT / 2);

        assertThat(written()).containsExactly(": heartbeat\n\n");
    }

    @Test
    void aClosedStreamLeavesTheSweep() {
        assertThat(session.sweepSlot()).isNotEqualTo(LoopSweep.Member.NOT_SWEPT);

        channel.close();

        assertThat(session.sweepSlot()).isEqualTo(LoopSweep.Member.NOT_SWEPT);
    }

    /** The bodies of the chunks written since the last call (headers skipped), released. */
    private List<String> written() {
        List<String> bodies = new ArrayList<>();
        Object out;
        while ((out = channel.readOutbound()) != null) {
            if (out instanceof HttpContent content) {
                ByteBuf body = content.content();
                bodies.add(body.toString(StandardCharsets.UTF_8));
            }
            ReferenceCountUtil.release(out);
        }
        return bodies;
    }
}
