package dev.switchboard.server.jobs;

import dev.switchboard.core.hub.Hub;
import dev.switchboard.core.jobs.JobEvents;
import dev.switchboard.server.ServerContext;
import dev.switchboard.server.api.HttpResponses;
import dev.switchboard.server.auth.Action;
import dev.switchboard.server.api.JsonReplies;
import dev.switchboard.server.pipeline.HttpRoute;
import dev.switchboard.server.pipeline.RouteMatch;
import dev.switchboard.server.sse.SseRoute;
import dev.switchboard.server.stream.StreamClose;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v1/jobs/{id}/events}: the job's status and progress as Server-Sent Events — the SSE
 * stream of its topic {@code _jobs/{id}}, from its first event unless {@code Last-Event-ID} or
 * {@code ?after} say otherwise, so it resumes like any topic. 404 for an unknown job.
 */
public final class JobEventsRoute implements HttpRoute {
    private final Hub hub;
    private final SseRoute sse;

    public JobEventsRoute(ServerContext context, SseRoute sse) {
        this.hub = context.hub();
        this.sse = sse;
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest request, RouteMatch match) {
        boolean keepAlive = HttpResponses.isKeepAlive(request);
        String id = match.job();
        Map<String, List<String>> query = new HashMap<>(match.query());
        query.putIfAbsent("after", List.of("0"));
        // Granted by the job's type (checked below), not by a subscribe grant on _jobs/{id}.
        RouteMatch stream = new RouteMatch(JobEvents.topicOf(id), null, id, query,
                match.principal().onlyFor(Action.SUBSCRIBE, JobEvents.topicOf(id)));
        request.retain(); // held past this call: the stream starts once the job is found
        hub.jobs().get(id).thenApply(job -> {
            match.principal().require(Action.JOBS, job.type());
            return job;
        }).whenComplete((job, error) -> {
            boolean ran = StreamClose.run(ctx, () -> {
                try {
                    if (error != null) {
                        JsonReplies.problem(ctx, keepAlive, error, hub.epoch());
                    } else {
                        sse.handle(ctx, request, stream);
                    }
                } finally {
                    request.release();
                }
            });
            if (!ran) {
                request.release();
            }
        });
    }
}
