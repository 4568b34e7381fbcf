package dev.switchboard.server.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.error.ErrorCode;
import dev.switchboard.core.error.SwitchboardException;
import dev.switchboard.core.hub.Hub;
import dev.switchboard.core.jobs.Jobs;
import dev.switchboard.core.store.Job;
import dev.switchboard.server.ServerContext;
import dev.switchboard.server.api.HttpResponses;
import dev.switchboard.server.auth.Action;
import dev.switchboard.server.auth.JobAccess;
import dev.switchboard.server.api.JsonExchange;
import dev.switchboard.server.api.JsonFields;
import dev.switchboard.server.api.JsonReplies;
import dev.switchboard.server.pipeline.HttpRoute;
import dev.switchboard.server.pipeline.RouteMatch;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import java.util.concurrent.CompletableFuture;

/**
 * A worker's calls on its job, each with the claim's {@code "lease"}: {@code POST /v1/jobs/{id}/heartbeat},
 * {@code …/progress} ({@code "percent"} 0–100, {@code "message"}?), {@code …/complete}
 * ({@code "result"}?) and {@code …/fail} ({@code "error"}, {@code "retry"}? default true). Each
 * answers with the job: a {@code "status":"cancelled"} answer to a heartbeat or progress tells the
 * worker to stop. A spent or foreign lease gets {@code 409 lease-not-held}.
 */
public final class WorkerStepRoute implements HttpRoute {
    /** The four calls. */
    public enum Step { HEARTBEAT, PROGRESS, COMPLETE, FAIL }

    private final Hub hub;
    private final Step step;

    public WorkerStepRoute(ServerContext context, Step step) {
        this.hub = context.hub();
        this.step = step;
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest request, RouteMatch match) {
        boolean keepAlive = HttpResponses.isKeepAlive(request);
        CompletableFuture<Job> result;
        try {
            JsonNode body = JsonExchange.body(request);
            result = JobAccess.checked(hub.jobs(), match.principal(), Action.WORK, match.job(), () -> start(hub.jobs(), match.job(), body));
        } catch (SwitchboardException e) {
            JsonReplies.problem(ctx, keepAlive, e, hub.epoch());
            return;
        }
        JsonExchange.answer(ctx, keepAlive, hub.epoch(), result, (g, j) -> JobJson.write(g, j, false));
    }

    private CompletableFuture<Job> start(Jobs jobs, String id, JsonNode body) {
        JobJson.requireObject(body);
        String lease = JsonFields.string(body, "lease", true);
        return switch (step) {
            case HEARTBEAT -> jobs.heartbeat(id, lease);
            case PROGRESS -> jobs.progress(id, lease, percent(body.get("percent")), JsonFields.string(body, "message", false));
            case COMPLETE -> {
                JobJson.Body result = JobJson.Body.of(body.get("result"));
                yield jobs.complete(id, lease, result == null ? null : result.contentType(), result == null ? null : result.bytes());
            }
            case FAIL -> {
                JsonNode retry = body.get("retry");
                if (retry != null && !retry.isBoolean()) {
                    throw new SwitchboardException(ErrorCode.BAD_REQUEST, "\"retry\" must be true or false, not " + retry);
                }
                yield jobs.fail(id, lease, JsonFields.string(body, "error", false), retry == null || retry.asBoolean());
            }
        };
    }

    private static int percent(JsonNode v) {
        if (v == null || !v.canConvertToExactIntegral() || !v.canConvertToInt()) {
            throw new SwitchboardException(ErrorCode.BAD_REQUEST, "\"percent\" is required: a whole number from 0 to 100");
        }
        return v.asInt(); // the range is checked by the hub
    }
}
