package dev.switchboard.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.core.error.ErrorCode;
import dev.switchboard.core.error.SwitchboardException;
import io.netty.buffer.ByteBufInputStream;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/** What the JSON endpoints (groups, jobs) share: a JSON request body in, a JSON answer or a problem out. */
public final class JsonExchange {
    public static final ObjectMapper JSON = new ObjectMapper();

    private JsonExchange() {}

    /** The request's body as JSON; an empty body is an empty object. */
    public static JsonNode body(FullHttpRequest request) {
        if (!request.content().isReadable()) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree((java.io.InputStream) new ByteBufInputStream(request.content().duplicate()));
        } catch (JsonProcessingException e) {
            throw new SwitchboardException(ErrorCode.MALFORMED_JSON, "the body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new SwitchboardException(ErrorCode.MALFORMED_JSON, "the body could not be read as JSON: " + e.getMessage());
        }
    }

    /** Answers with {@code body} once {@code result} completes, or with its problem. */
    public static <T> void answer(ChannelHandlerContext ctx, boolean keepAlive, String epoch, CompletableFuture<T> result, JsonReplies.BodyOf<T> body) {
        result.whenComplete((value, error) -> {
            if (result.isCancelled()) {
                return; // the client is gone
            }
            if (error != null) {
                JsonReplies.problem(ctx, keepAlive, error, epoch);
            } else {
                JsonReplies.send(ctx, keepAlive, HttpResponseStatus.OK, JsonReplies.json(g -> body.write(g, value)), epoch);
            }
        });
    }
}
