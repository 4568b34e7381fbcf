package dev.switchboard.sidecar.grip;

import dev.switchboard.core.hub.Hub;
import dev.switchboard.sidecar.ops.SidecarMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import java.time.Duration;

/**
 * The GRIP hand-over: the proxy asks {@link #instruction} of every upstream response head, and gives a
 * hold's buffered response to {@link #hold}, which keeps the client's request open on the topic as an
 * SSE stream ({@link GripStream}) or a long poll ({@link GripLongPoll}). Messages come from the
 * sidecar's {@link Hub}, so delivery, rings and slow-consumer handling are the server's.
 */
public final class GripHolds {
    /** Pushpin's default: below the 60 s many load balancers cut idle requests at. */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(55);

    private final Hub hub;
    private final SidecarMetrics metrics;
    private final Duration maxWait;
    private final long budgetBytes;
    private final Duration heartbeat;

    public GripHolds(Hub hub, SidecarMetrics metrics, Duration maxWait, long budgetBytes, Duration heartbeat) {
        this.hub = hub;
        this.metrics = metrics;
        this.maxWait = maxWait;
        this.budgetBytes = budgetBytes;
        this.heartbeat = heartbeat;
    }

    /** Null when the response is a plain one; {@link IllegalArgumentException} for a broken instruction. */
    public GripInstruction instruction(HttpHeaders upstreamHeaders) {
        return GripHeaders.parse(upstreamHeaders, DEFAULT_TIMEOUT.compareTo(maxWait) > 0 ? maxWait : DEFAULT_TIMEOUT, maxWait);
    }

    /**
     * Holds the client's request. {@code head} and {@code body} are the upstream's (body owned by the hold);
     * {@code end} is called once when the held request is over.
     */
    public Hold hold(ChannelHandlerContext ctx, GripInstruction instruction, HttpResponse head, ByteBuf body, boolean keepAlive,
                     boolean http2, HoldEnd end) {
        GripHeaders.strip(head.headers());
        // A held response answers one client at one moment: no cache (ours included) may keep it.
        head.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        return switch (instruction.kind()) {
            case STREAM -> GripStream.start(hub, metrics, ctx, instruction, head, body, http2, budgetBytes, heartbeat, end);
            case RESPONSE -> GripLongPoll.start(hub, metrics, ctx, instruction, head, body, keepAlive, http2, end);
        };
    }
}
