package dev.switchboard.server.api;

import dev.switchboard.core.error.ErrorCode;
import dev.switchboard.core.error.SwitchboardException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Writing whole (non-streaming) responses with keep-alive handled in one place. */
public final class HttpResponses {
    private static final Logger LOG = Logger.getLogger(HttpResponses.class.getName());

    private HttpResponses() {}

    public static FullHttpResponse response(HttpResponseStatus status, String contentType, ByteBuf body) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        if (contentType != null) {
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        }
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        return r;
    }

    public static FullHttpResponse json(HttpResponseStatus status, ByteBuf body) {
        return response(status, "application/json", body);
    }

    public static FullHttpResponse text(HttpResponseStatus status, String text) {
        return response(status, "text/plain; charset=utf-8", Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
    }

    /** Sends {@code response}; closes the connection after it unless the client asked for keep-alive. */
    public static void send(ChannelHandlerContext ctx, boolean keepAlive, FullHttpResponse response) {
        if (!ctx.channel().isActive()) {
            response.release();
            return;
        }
        HttpUtil.setKeepAlive(response, keepAlive);
        var future = ctx.writeAndFlush(response);
        if (!keepAlive) {
            LingeringClose.after(future);
        }
    }

    public static void problem(ChannelHandlerContext ctx, boolean keepAlive, ErrorCode code, String detail) {
        problem(ctx, keepAlive, code, detail, EmptyHttpHeaders.INSTANCE);
    }

    /** A problem response carrying {@code extra} headers too (e.g. {@code Switchboard-Epoch}). */
    public static void problem(ChannelHandlerContext ctx, boolean keepAlive, ErrorCode code, String detail, HttpHeaders extra) {
        FullHttpResponse r = problemResponse(code, detail);
        r.headers().add(extra);
        send(ctx, keepAlive, r);
    }

    /** The problem+json response of {@code code}; a 503 says when to retry. */
    public static FullHttpResponse problemResponse(ErrorCode code, String detail) {
        FullHttpResponse r = response(HttpResponseStatus.valueOf(code.status()), Problems.CONTENT_TYPE, Problems.body(code, detail));
        if (code.status() == 503) {
            r.headers().set(HttpHeaderNames.RETRY_AFTER, "1");
        }
        return r;
    }

    /** Maps any failure to its problem response; unexpected ones are logged once with their stack. */
    public static void problem(ChannelHandlerContext ctx, boolean keepAlive, Throwable error) {
        problem(ctx, keepAlive, error, EmptyHttpHeaders.INSTANCE);
    }

    /** Like {@link #problem(ChannelHandlerContext, boolean, Throwable)}, with {@code extra} headers. */
    public static void problem(ChannelHandlerContext ctx, boolean keepAlive, Throwable error, HttpHeaders extra) {
        SwitchboardException e = SwitchboardException.of(error);
        if (e.code() == ErrorCode.INTERNAL) {
            LOG.log(Level.SEVERE, "unexpected error answering a request", error);
            problem(ctx, false, ErrorCode.INTERNAL, "internal error: " + error.getClass().getSimpleName(), extra);
            return;
        }
        problem(ctx, keepAlive, e.code(), e.detail(), extra);
    }

    public static boolean isKeepAlive(io.netty.handler.codec.http.HttpRequest request) {
        return HttpUtil.isKeepAlive(request) && !request.headers().contains(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE, true);
    }
}
