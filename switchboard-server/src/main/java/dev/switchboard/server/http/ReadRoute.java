package dev.switchboard.server.http;

import dev.switchboard.server.api.JsonReplies;

import dev.switchboard.core.config.Limits;
import dev.switchboard.core.error.SwitchboardException;
import dev.switchboard.core.hub.Hub;
import dev.switchboard.core.hub.ReadResult;
import dev.switchboard.server.ServerContext;
import dev.switchboard.server.api.HangUps;
import dev.switchboard.server.api.HttpResponses;
import dev.switchboard.server.auth.Action;
import dev.switchboard.server.ops.ServerMetrics;
import dev.switchboard.server.pipeline.HttpRoute;
import dev.switchboard.server.pipeline.RouteMatch;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.concurrent.CompletableFuture;

/**
 * {@code GET /v1/topics/{topic}/messages}: without {@code wait} a short poll (what is there now);
 * with it a long poll, held by the hub — not by this thread — until a message arrives or the wait
 * ends. A long-poll client that hangs up cancels its wait, which removes the hub's waiter.
 */
public final class ReadRoute implements HttpRoute {
    private final Hub hub;
    private final ServerMetrics metrics;
    private final Limits limits;

    public ReadRoute(ServerContext context) {
        this.hub = context.hub();
        this.metrics = context.metrics();
        this.limits = context.config().limits();
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest request, RouteMatch match) {
        boolean keepAlive = HttpResponses.isKeepAlive(request);
        String epoch = hub.epoch();
        ReadQuery q;
        try {
            q = ReadQuery.parse(match, limits);
            match.principal().require(Action.SUBSCRIBE, match.topic());
        } catch (SwitchboardException e) {
            JsonReplies.problem(ctx, keepAlive, e, epoch);
            return;
        }
        boolean longPoll = q.waitFor() != null;
        CompletableFuture<ReadResult> result = start(match.topic(), q);
        if (longPoll) {
            HangUps.cancelOnHangUp(ctx, result);
        }
        String transport = longPoll ? ServerMetrics.LONG_POLL : ServerMetrics.SHORT_POLL;
        result.whenComplete((r, error) -> {
            if (result.isCancelled()) {
                return; // the client is gone; nobody to answer
            }
            if (error != null) {
                JsonReplies.problem(ctx, keepAlive, error, epoch);
                return;
            }
            metrics.onDelivered(transport, r.messages().size());
            JsonReplies.send(ctx, keepAlive, HttpResponseStatus.OK, ReadBody.encode(r, q.after()), epoch);
        });
    }

    private CompletableFuture<ReadResult> start(String topic, ReadQuery q) {
        try {
            return q.waitFor() == null
                    ? hub.read(topic, q.after(), q.limit(), q.epoch())
                    : hub.poll(topic, q.after(), q.limit(), q.waitFor(), q.epoch());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
