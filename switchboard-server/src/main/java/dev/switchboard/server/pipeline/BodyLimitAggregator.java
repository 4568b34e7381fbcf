package dev.switchboard.server.pipeline;

import dev.switchboard.core.error.ErrorCode;
import dev.switchboard.server.api.HttpResponses;
import dev.switchboard.server.api.Problems;
import dev.switchboard.server.api.LingeringClose;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpResponseStatus;

/** Aggregates request bodies up to the limit; a larger body is answered 413 as problem+json and the connection closed. */
final class BodyLimitAggregator extends HttpObjectAggregator {
    private final int limit;

    BodyLimitAggregator(int limit) {
        super(limit);
        this.limit = limit;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        var response = HttpResponses.response(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, Problems.CONTENT_TYPE,
                Problems.body(ErrorCode.BODY_TOO_LARGE, "request body exceeds the limit of " + limit + " bytes (max-body)"));
        response.headers().set("connection", "close");
        // Closing is the only safe answer: the rest of the oversized body is still on the wire.
        LingeringClose.after(ctx.writeAndFlush(response));
    }
}
