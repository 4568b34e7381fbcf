package dev.switchboard.server.http;

import dev.switchboard.server.api.JsonReplies;

import dev.switchboard.core.error.ErrorCode;
import dev.switchboard.core.error.SwitchboardException;
import dev.switchboard.core.hub.Hub;
import dev.switchboard.core.message.Topics;
import dev.switchboard.core.store.AppendRequest;
import dev.switchboard.core.store.Appended;
import dev.switchboard.core.store.Durability;
import dev.switchboard.server.ServerContext;
import dev.switchboard.server.api.HttpResponses;
import dev.switchboard.server.auth.Action;
import dev.switchboard.server.ops.ServerMetrics;
import dev.switchboard.server.pipeline.HttpRoute;
import dev.switchboard.server.pipeline.RouteMatch;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * {@code POST /v1/topics/{topic}/messages}: validate everything (topic, durability, idempotency key,
 * body) before touching the hub, so a bad request changes nothing; then append and answer when the
 * store has (201, or 200 with the first answer for a repeated {@code Idempotency-Key}).
 */
public final class PublishRoute implements HttpRoute {
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    private static final int MAX_KEY = 200;

    private final Hub hub;
    private final ServerMetrics metrics;
    private final int maxRead;

    public PublishRoute(ServerContext context) {
        this.hub = context.hub();
        this.metrics = context.metrics();
        this.maxRead = context.config().limits().maxReadMessages();
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest request, RouteMatch match) {
        boolean keepAlive = HttpResponses.isKeepAlive(request);
        String epoch = hub.epoch();
        boolean batch;
        CompletableFuture<Appended> appended;
        try {
            String topic = publishableTopic(match.topic());
            match.principal().require(Action.PUBLISH, topic);
            Durability durability = Durability.parse(match.param("durability"));
            String key = idempotencyKey(request.headers().get(IDEMPOTENCY_KEY));
            // The router releases the request when we return: copy the body now.
            PublishBody body = PublishBody.parse(request.headers().get(HttpHeaderNames.CONTENT_TYPE),
                    ByteBufUtil.getBytes(request.content()));
            batch = body.batch();
            appended = hub.publish(new AppendRequest(topic, body.drafts(), durability, key));
        } catch (SwitchboardException e) {
            JsonReplies.problem(ctx, keepAlive, e, epoch);
            return;
        }
        appended.whenComplete((a, error) -> {
            if (error != null) {
                JsonReplies.problem(ctx, keepAlive, error, epoch);
                return;
            }
            if (!a.duplicate()) {
                metrics.onPublished(ServerMetrics.HTTP, a.count());
            }
            HttpResponses.send(ctx, keepAlive, answer(a, batch, epoch));
        });
    }

    private FullHttpResponse answer(Appended a, boolean batch, String epoch) {
        String time = Instant.ofEpochMilli(a.timeMillis()).toString();
        ByteBuf body = JsonReplies.json(g -> {
            g.writeStartObject();
            g.writeStringField("topic", a.topic());
            if (batch) {
                g.writeNumberField("first", a.first());
                g.writeNumberField("last", a.last());
                g.writeNumberField("count", a.count());
            } else {
                g.writeNumberField("offset", a.first());
            }
            g.writeStringField("time", time);
            g.writeEndObject();
        });
        FullHttpResponse r = JsonReplies.ok(a.duplicate() ? HttpResponseStatus.OK : HttpResponseStatus.CREATED, body, epoch);
        int limit = batch ? Math.min(a.count(), maxRead) : 1;
        r.headers().set(HttpHeaderNames.LOCATION,
                "/v1/topics/" + a.topic() + "/messages?after=" + (a.first() - 1) + "&limit=" + limit);
        return r;
    }

    /** Clients may not publish to reserved names ({@code _jobs/…}): those are written by the server itself. */
    private static String publishableTopic(String topic) {
        if (topic != null && topic.startsWith("_")) {
            throw new SwitchboardException(ErrorCode.BAD_TOPIC,
                    "topic '" + topic + "' is reserved: names starting with '_' are written by the server only");
        }
        return Topics.requireValid(topic);
    }

    private static String idempotencyKey(String key) {
        if (key == null) {
            return null;
        }
        boolean visibleAscii = !key.isEmpty() && key.length() <= MAX_KEY && key.chars().allMatch(c -> c > 0x20 && c < 0x7F);
        if (!visibleAscii) {
            throw new SwitchboardException(ErrorCode.BAD_REQUEST, IDEMPOTENCY_KEY + " is invalid (" + key.length()
                    + " characters): use 1 to " + MAX_KEY + " visible ASCII characters, e.g. a UUID");
        }
        return key;
    }
}
