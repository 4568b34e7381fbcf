package dev.switchboard.server.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.config.Durations;
import dev.switchboard.core.error.ErrorCode;
import dev.switchboard.core.error.SwitchboardException;
import dev.switchboard.core.hub.Hub;
import dev.switchboard.core.jobs.JobRequest;
import dev.switchboard.core.store.Job;
import dev.switchboard.core.store.Submitted;
import dev.switchboard.server.ServerContext;
import dev.switchboard.server.api.HttpResponses;
import dev.switchboard.server.auth.Action;
import dev.switchboard.server.api.JsonExchange;
import dev.switchboard.server.api.JsonFields;
import dev.switchboard.server.api.JsonReplies;
import dev.switchboard.server.api.Ndjson;
import dev.switchboard.server.pipeline.HttpRoute;
import dev.switchboard.server.pipeline.RouteMatch;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code POST /v1/jobs} with {@code {"type","payload"?,"max_attempts"?,"timeout"?,"run_at"?}}:
 * {@code 202} with the job and {@code Location: /v1/jobs/{id}} at once. {@code Idempotency-Key}
 * returns the first job for the same key. {@code Prefer: wait=N} (RFC 7240) holds the answer up to N
 * seconds: {@code 200} with the result when the job finished in time, else the same {@code 202};
 * {@code Preference-Applied} says the wait was honoured. With {@code Content-Type: application/x-ndjson} the body
 * is a batch, one job per line ({@link SubmitBatch}).
 */
public final class SubmitRoute implements HttpRoute {
    static final Set<String> FIELDS = Set.of("type", "payload", "max_attempts", "timeout", "run_at");
    private static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    private static final Pattern PREFER_WAIT = Pattern.compile("(?:^|[,;\\s])wait\\s*=\\s*\"?(\\d{1,9})\"?", Pattern.CASE_INSENSITIVE);

    private final Hub hub;
    private final Duration maxWait;

    public SubmitRoute(ServerContext context) {
        this.hub = context.hub();
        this.maxWait = context.config().limits().maxWait();
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest request, RouteMatch match) {
        boolean keepAlive = HttpResponses.isKeepAlive(request);
        if (Ndjson.is(request.headers().get(HttpHeaderNames.CONTENT_TYPE))) {
            submitBatch(ctx, request, match, keepAlive);
            return;
        }
        JobRequest job;
        Duration wait;
        try {
            job = parse(JsonExchange.body(request), request.headers().get(IDEMPOTENCY_KEY), FIELDS);
            match.principal().require(Action.JOBS, job.type());
            wait = preferWait(request.headers().getAll("Prefer"));
        } catch (SwitchboardException e) {
            JsonReplies.problem(ctx, keepAlive, e, hub.epoch());
            return;
        }
        hub.jobs().submit(job).thenCompose(s -> wait == null
                ? CompletableFuture.completedFuture(s.job())
                : hub.jobs().await(s.job().id(), null, wait))
                .whenComplete((j, error) -> {
                    if (error != null) {
                        JsonReplies.problem(ctx, keepAlive, error, hub.epoch());
                    } else {
                        HttpResponses.send(ctx, keepAlive, response(j, wait));
                    }
                });
    }

    /** The NDJSON form ({@link SubmitBatch}): {@code 202 {"jobs":[…]}} in line order; {@code Prefer: wait} is not applied. */
    private void submitBatch(ChannelHandlerContext ctx, FullHttpRequest request, RouteMatch match, boolean keepAlive) {
        CompletableFuture<List<Submitted>> submitted;
        try {
            if (request.headers().contains(IDEMPOTENCY_KEY)) {
                throw new SwitchboardException(ErrorCode.BAD_REQUEST, IDEMPOTENCY_KEY + " cannot key a batch of jobs: give each line its own \""
                        + SubmitBatch.KEY_FIELD + "\"");
            }
            // The router releases the request when we return: copy the body now.
            submitted = hub.jobs().submitAll(SubmitBatch.parse(ByteBufUtil.getBytes(request.content()), match.principal(), hub.jobs()));
        } catch (SwitchboardException e) {
            JsonReplies.problem(ctx, keepAlive, e, hub.epoch());
            return;
        }
        submitted.whenComplete((all, error) -> {
            if (error != null) {
                JsonReplies.problem(ctx, keepAlive, error, hub.epoch());
                return;
            }
            HttpResponses.send(ctx, keepAlive, JsonReplies.ok(HttpResponseStatus.ACCEPTED, JsonReplies.json(g -> {
                g.writeStartObject();
                g.writeArrayFieldStart("jobs");
                for (Submitted s : all) {
                    JobJson.write(g, s.job(), false);
                }
                g.writeEndArray();
                g.writeEndObject();
            }), hub.epoch()));
        });
    }

    private FullHttpResponse response(Job j, Duration wait) {
        boolean done = wait != null && j.state().terminal();
        FullHttpResponse r = JsonReplies.ok(done ? HttpResponseStatus.OK : HttpResponseStatus.ACCEPTED,
                JsonReplies.json(g -> JobJson.write(g, j, false)), hub.epoch());
        r.headers().set(HttpHeaderNames.LOCATION, "/v1/jobs/" + j.id());
        if (wait != null) {
            r.headers().set("Preference-Applied", "wait=" + wait.toSeconds());
        }
        return r;
    }

    /** The {@code wait} preference in seconds (RFC 7240 §4.3), capped by max-wait; null when absent. */
    private Duration preferWait(List<String> prefer) {
        for (String header : prefer) {
            Matcher m = PREFER_WAIT.matcher(header);
            if (m.find()) {
                Duration asked = Duration.ofSeconds(Long.parseLong(m.group(1)));
                return asked.compareTo(maxWait) > 0 ? maxWait : asked; // a preference, not a demand: capped, not refused
            }
        }
        return null;
    }

    /** @param fields the fields a job may have here (the batch form adds {@code "idempotency_key"}) */
    static JobRequest parse(JsonNode body, String idempotencyKey, Set<String> fields) {
        JobJson.requireObject(body);
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!fields.contains(field)) {
                throw new SwitchboardException(ErrorCode.BAD_REQUEST, "unknown field \"" + field + "\": a job has " + fields);
            }
        }
        JobJson.Body payload = JobJson.Body.of(body.get("payload"));
        Integer attempts = null;
        JsonNode a = body.get("max_attempts");
        if (a != null && !a.isNull()) {
            if (!a.canConvertToExactIntegral() || !a.canConvertToInt()) {
                throw new SwitchboardException(ErrorCode.BAD_REQUEST, "\"max_attempts\" must be a whole number, not " + a);
            }
            attempts = a.asInt();
        }
        Duration timeout = null;
        String t = JsonFields.string(body, "timeout", false);
        if (t != null) {
            try {
                timeout = Durations.parse(t);
            } catch (IllegalArgumentException e) {
                throw new SwitchboardException(ErrorCode.BAD_REQUEST, "\"timeout\" is invalid: " + e.getMessage());
            }
        }
        Instant runAt = null;
        String r = JsonFields.string(body, "run_at", false);
        if (r != null) {
            try {
                runAt = Instant.parse(r);
            } catch (DateTimeParseException e) {
                throw new SwitchboardException(ErrorCode.BAD_REQUEST, "\"run_at\" must be an ISO-8601 instant such as 2026-11-27T10:00:00Z, not " + r);
            }
        }
        return new JobRequest(JsonFields.string(body, "type", true), payload == null ? "application/json" : payload.contentType(),
                payload == null ? "null".getBytes(java.nio.charset.StandardCharsets.UTF_8) : payload.bytes(), attempts, timeout, runAt,
                idempotencyKey);
    }
}
