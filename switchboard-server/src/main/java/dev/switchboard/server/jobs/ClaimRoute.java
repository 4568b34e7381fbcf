package dev.switchboard.server.jobs;

import dev.switchboard.core.error.SwitchboardException;
import dev.switchboard.core.hub.Hub;
import dev.switchboard.core.store.JobClaim;
import dev.switchboard.server.ServerContext;
import dev.switchboard.server.api.HangUps;
import dev.switchboard.server.api.HttpResponses;
import dev.switchboard.server.auth.Action;
import dev.switchboard.server.api.JsonReplies;
import dev.switchboard.server.api.QueryParams;
import dev.switchboard.server.pipeline.HttpRoute;
import dev.switchboard.server.pipeline.RouteMatch;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code POST /v1/workers/claim?type=T&wait=30s&lease=60s[&max=N]}: a long-poll claim for workers in any
 * language. {@code 200 {"job":{…},"lease","lease_until"}} with the oldest due job of the type — with
 * {@code max}, {@code 200 {"jobs":[{"job","lease","lease_until"},…]}} with up to N of them, oldest
 * first — or {@code 204} when the wait ended first. A worker that hangs up before the answer gives its
 * jobs back.
 */
public final class ClaimRoute implements HttpRoute {
    private final Hub hub;

    public ClaimRoute(ServerContext context) {
        this.hub = context.hub();
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest request, RouteMatch match) {
        boolean keepAlive = HttpResponses.isKeepAlive(request);
        CompletableFuture<List<JobClaim>> claim;
        boolean batch = match.param("max") != null;
        try {
            match.principal().require(Action.WORK, match.param("type"));
            int max = QueryParams.count("max", match.param("max"), 1);
            Duration wait = QueryParams.duration("wait", match.param("wait"));
            Duration lease = QueryParams.duration("lease", match.param("lease"));
            claim = hub.jobs().claim(match.param("type"), max, lease, wait == null ? Duration.ZERO : wait);
        } catch (SwitchboardException e) {
            JsonReplies.problem(ctx, keepAlive, e, hub.epoch());
            return;
        }
        HangUps.cancelOnHangUp(ctx, claim);
        claim.whenComplete((c, error) -> {
            if (claim.isCancelled()) {
                return;
            }
            if (error != null) {
                JsonReplies.problem(ctx, keepAlive, error, hub.epoch());
            } else if (c.isEmpty()) {
                HttpResponses.send(ctx, keepAlive, new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT));
            } else if (batch) {
                JsonReplies.send(ctx, keepAlive, HttpResponseStatus.OK, JsonReplies.json(g -> JobJson.writeClaims(g, c)), hub.epoch());
            } else {
                JsonReplies.send(ctx, keepAlive, HttpResponseStatus.OK, JsonReplies.json(g -> JobJson.writeClaim(g, c.getFirst())),
                        hub.epoch());
            }
        });
    }
}
