package dev.switchboard.server.jobs;

import dev.switchboard.core.error.ErrorCode;
import dev.switchboard.core.error.SwitchboardException;
import dev.switchboard.core.hub.Hub;
import dev.switchboard.core.store.Job;
import dev.switchboard.server.ServerContext;
import dev.switchboard.server.api.HangUps;
import dev.switchboard.server.api.HttpResponses;
import dev.switchboard.server.auth.Action;
import dev.switchboard.server.auth.JobAccess;
import dev.switchboard.server.api.JsonExchange;
import dev.switchboard.server.api.JsonReplies;
import dev.switchboard.server.api.QueryParams;
import dev.switchboard.server.pipeline.HttpRoute;
import dev.switchboard.server.pipeline.RouteMatch;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * {@code GET /v1/jobs/{id}}: the job now (short polling). With {@code ?wait=30s} a long poll: held
 * until the job finishes, or with {@code &version=N} until it changes past version N, or the wait
 * ends; it answers with the job as it is then.
 */
public final class JobRoute implements HttpRoute {
    private final Hub hub;

    public JobRoute(ServerContext context) {
        this.hub = context.hub();
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest request, RouteMatch match) {
        boolean keepAlive = HttpResponses.isKeepAlive(request);
        String id = match.job();
        CompletableFuture<Job> job;
        try {
            Duration wait = QueryParams.duration("wait", match.param("wait"));
            Long version = version(match.param("version"));
            job = JobAccess.checked(hub.jobs(), match.principal(), Action.JOBS, id,
                    () -> wait == null ? hub.jobs().get(id) : hub.jobs().await(id, version, wait));
            if (wait != null) {
                HangUps.cancelOnHangUp(ctx, job);
            }
        } catch (SwitchboardException e) {
            JsonReplies.problem(ctx, keepAlive, e, hub.epoch());
            return;
        }
        JsonExchange.answer(ctx, keepAlive, hub.epoch(), job, (g, j) -> JobJson.write(g, j, false));
    }

    private static Long version(String value) {
        if (value == null) {
            return null;
        }
        try {
            long v = Long.parseLong(value);
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new SwitchboardException(ErrorCode.BAD_REQUEST, "version=" + value + " is invalid: use the job's version, a whole number");
    }
}
