package dev.switchboard.server.pipeline;

import dev.switchboard.core.error.ErrorCode;
import dev.switchboard.server.api.HttpResponses;
import dev.switchboard.server.auth.AuthFailure;
import dev.switchboard.server.auth.Authenticator;
import dev.switchboard.server.auth.Principal;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameStreamException;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.PrematureChannelClosureException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Maps a request to its endpoint; the whole URL space of API v1 is in {@link #route}. The topic is cut
 * out of the raw path before percent-decoding, so a topic whose name contains {@code /messages} can
 * still be addressed as {@code %2Fmessages}.
 */
@ChannelHandler.Sharable
public final class Router extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = Logger.getLogger(Router.class.getName());
    private static final String TOPICS = "/v1/topics/";
    private static final String JOBS = "/v1/jobs/";
    // The topic is everything before the last "/groups": group names have no slash.
    private static final Pattern GROUP_PATH = Pattern.compile("(.+)/groups(?:/([^/]+)(?:/(fetch|ack|nack|release|reset))?)?/?");

    private final Routes routes;
    private final Authenticator authenticator;
    private final boolean loopback;

    /** @param loopback whether the server listens on loopback only: then /metrics needs no token */
    public Router(Routes routes, Authenticator authenticator, boolean loopback) {
        this.routes = routes;
        this.authenticator = authenticator;
        this.loopback = loopback;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean keepAlive = HttpResponses.isKeepAlive(request);
        DecoderResult decoded = request.decoderResult();
        if (decoded.isFailure()) {
            rejectUndecodable(ctx, decoded.cause());
            return;
        }
        QueryStringDecoder uri = new QueryStringDecoder(request.uri(), StandardCharsets.UTF_8);
        String rawPath = uri.rawPath();
        HttpMethod method = request.method();
        try {
            route(ctx, request, method, rawPath, uri, keepAlive);
        } catch (IllegalArgumentException e) {
            // Malformed percent-encoding or query.
            HttpResponses.problem(ctx, keepAlive, ErrorCode.BAD_REQUEST, "the request URI is malformed: " + e.getMessage());
        }
    }

    private void route(ChannelHandlerContext ctx, FullHttpRequest request, HttpMethod method, String rawPath,
                       QueryStringDecoder uri, boolean keepAlive) {
        if (rawPath.startsWith(TOPICS) && rawPath.length() > TOPICS.length()) {
            String rest = rawPath.substring(TOPICS.length());
            Matcher group = GROUP_PATH.matcher(rest);
            if (group.matches()) {
                routeGroup(ctx, request, method, group, uri, keepAlive);
            } else if (rest.endsWith("/messages")) {
                String topic = decode(rest.substring(0, rest.length() - "/messages".length()));
                dispatch(ctx, request, method, RouteMatch.of(topic, uri), keepAlive, "GET, POST",
                        method == HttpMethod.GET ? routes.read() : method == HttpMethod.POST ? routes.publish() : null);
            } else if (rest.endsWith("/events")) {
                String topic = decode(rest.substring(0, rest.length() - "/events".length()));
                dispatch(ctx, request, method, RouteMatch.of(topic, uri), keepAlive, "GET", get(method, routes.events()));
            } else {
                dispatch(ctx, request, method, RouteMatch.of(decode(rest), uri), keepAlive, "GET", get(method, routes.topicInfo()));
            }
            return;
        }
        if (rawPath.startsWith(JOBS) && rawPath.length() > JOBS.length()) {
            routeJob(ctx, request, method, rawPath.substring(JOBS.length()), uri, keepAlive);
            return;
        }
        RouteMatch none = RouteMatch.of(null, uri);
        switch (rawPath) {
            case "/v1/topics", "/v1/topics/" -> dispatch(ctx, request, method, none, keepAlive, "GET", get(method, routes.topicList()));
            case "/v1/jobs", "/v1/jobs/" -> dispatch(ctx, request, method, none, keepAlive, "POST", post(method, routes.jobs().submit()));
            case "/v1/workers/claim" -> dispatch(ctx, request, method, none, keepAlive, "POST", post(method, routes.jobs().claim()));
            case "/v1/ws" -> {
                if (ctx.channel() instanceof Http2StreamChannel) {
                    // No WebSocket over HTTP/2 (RFC 8441): browsers open an HTTP/1.1 connection for it anyway.
                    HttpResponses.problem(ctx, keepAlive, ErrorCode.BAD_REQUEST,
                            "WebSocket needs an HTTP/1.1 connection: this server does not carry WebSocket over HTTP/2");
                    return;
                }
                dispatch(ctx, request, method, none, keepAlive, "GET", get(method, routes.webSocket()));
            }
            case "/healthz" -> dispatch(ctx, request, method, none, keepAlive, "GET", get(method, routes.health()));
            case "/readyz" -> dispatch(ctx, request, method, none, keepAlive, "GET", get(method, routes.ready()));
            case "/metrics" -> dispatch(ctx, request, method, none, keepAlive, "GET", get(method, routes.metrics()));
            case "/", "/index.html" -> dispatch(ctx, request, method, none, keepAlive, "GET", get(method, routes.dashboard()));
            default -> HttpResponses.problem(ctx, keepAlive, ErrorCode.NOT_FOUND, "no endpoint at " + rawPath + " (see docs/api/README.md)");
        }
    }

    /** {@code {id}}, {@code {id}/events} and {@code {id}/{action}} under {@code /v1/jobs/}. */
    private void routeJob(ChannelHandlerContext ctx, FullHttpRequest request, HttpMethod method, String rest, QueryStringDecoder uri,
                          boolean keepAlive) {
        int slash = rest.indexOf('/');
        RouteMatch match = RouteMatch.ofJob(decode(slash < 0 ? rest : rest.substring(0, slash)), uri);
        String action = slash < 0 ? "" : rest.substring(slash + 1);
        JobRoutes jobs = routes.jobs();
        switch (action) {
            case "" -> dispatch(ctx, request, method, match, keepAlive, "GET", get(method, jobs.status()));
            case "events" -> dispatch(ctx, request, method, match, keepAlive, "GET", get(method, jobs.events()));
            case "cancel" -> dispatch(ctx, request, method, match, keepAlive, "POST", post(method, jobs.cancel()));
            case "heartbeat" -> dispatch(ctx, request, method, match, keepAlive, "POST", post(method, jobs.heartbeat()));
            case "progress" -> dispatch(ctx, request, method, match, keepAlive, "POST", post(method, jobs.progress()));
            case "complete" -> dispatch(ctx, request, method, match, keepAlive, "POST", post(method, jobs.complete()));
            case "fail" -> dispatch(ctx, request, method, match, keepAlive, "POST", post(method, jobs.fail()));
            default -> HttpResponses.problem(ctx, keepAlive, ErrorCode.NOT_FOUND, "no endpoint at " + JOBS + rest
                    + " (a job has events, cancel, heartbeat, progress, complete and fail)");
        }
    }

    /** {@code {topic}/groups}, {@code {topic}/groups/{group}} and {@code {topic}/groups/{group}/{action}}. */
    private void routeGroup(ChannelHandlerContext ctx, FullHttpRequest request, HttpMethod method, Matcher path,
                            QueryStringDecoder uri, boolean keepAlive) {
        String topic = decode(path.group(1));
        String group = path.group(2) == null ? null : decode(path.group(2));
        RouteMatch match = RouteMatch.of(topic, group, uri);
        String action = path.group(3);
        if (action == null) {
            dispatch(ctx, request, method, match, keepAlive, "GET", get(method, routes.groupInfo()));
            return;
        }
        HttpRoute route = switch (action) {
            case "fetch" -> routes.groupFetch();
            case "ack" -> routes.groupAck();
            case "nack" -> routes.groupNack();
            case "release" -> routes.groupRelease();
            default -> routes.groupReset();
        };
        dispatch(ctx, request, method, match, keepAlive, "POST", post(method, route));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof Http2FrameStreamException || Http2CodecUtil.getEmbeddedHttp2Exception(cause) != null) {
            // An HTTP/2 stream error: the codec resets the stream with the right error code itself.
            LOG.log(Level.FINE, "HTTP/2 stream error from " + ctx.channel().remoteAddress(), cause);
            return;
        }
        // A reset by the client or a request cut short (PrematureChannelClosureException): nothing to answer.
        LOG.log(cause instanceof java.io.IOException || cause instanceof PrematureChannelClosureException ? Level.FINE : Level.WARNING,
                "connection from " + ctx.channel().remoteAddress() + " failed", cause);
        ctx.close();
    }

    private static HttpRoute post(HttpMethod method, HttpRoute route) {
        return method == HttpMethod.POST ? route : null;
    }

    private static HttpRoute get(HttpMethod method, HttpRoute route) {
        return method == HttpMethod.GET || method == HttpMethod.HEAD ? route : null;
    }

    private void dispatch(ChannelHandlerContext ctx, FullHttpRequest request, HttpMethod method, RouteMatch match,
                          boolean keepAlive, String allowed, HttpRoute route) {
        if (route == null) {
            var r = HttpResponses.response(io.netty.handler.codec.http.HttpResponseStatus.METHOD_NOT_ALLOWED,
                    dev.switchboard.server.api.Problems.CONTENT_TYPE,
                    dev.switchboard.server.api.Problems.body(ErrorCode.METHOD_NOT_ALLOWED,
                            method + " is not allowed here; allowed: " + allowed));
            r.headers().set(HttpHeaderNames.ALLOW, allowed);
            HttpResponses.send(ctx, keepAlive, r);
            return;
        }
        Principal who;
        try {
            who = open(route) ? Principal.NOBODY : authenticator.authenticate(request, match.query(), streams(route));
        } catch (AuthFailure f) {
            HttpResponses.problem(ctx, keepAlive, f.code(), f.detail(),
                    new io.netty.handler.codec.http.DefaultHttpHeaders().set(HttpHeaderNames.WWW_AUTHENTICATE, f.challenge()));
            return;
        }
        route.handle(ctx, request, match.as(who));
    }

    /** Health checks always; the dashboard page (static, no data: its calls are checked); /metrics on a loopback bind. */
    private boolean open(HttpRoute route) {
        return route == routes.health() || route == routes.ready() || route == routes.dashboard() || route == routes.metrics() && loopback;
    }

    /** Endpoints a browser opens with EventSource or WebSocket, which cannot set headers: they take ?access_token too. */
    private boolean streams(HttpRoute route) {
        return route == routes.events() || route == routes.jobs().events() || route == routes.webSocket();
    }

    private static String decode(String rawSegment) {
        return QueryStringDecoder.decodeComponent(rawSegment, StandardCharsets.UTF_8);
    }

    private static void rejectUndecodable(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongHttpHeaderException) {
            HttpResponses.problem(ctx, false, ErrorCode.HEADER_TOO_LARGE, "request headers exceed the server's limit: " + cause.getMessage());
        } else if (cause instanceof TooLongHttpLineException) {
            HttpResponses.problem(ctx, false, ErrorCode.HEADER_TOO_LARGE, "request line exceeds the server's limit: " + cause.getMessage());
        } else if (cause instanceof TooLongFrameException) {
            HttpResponses.problem(ctx, false, ErrorCode.HEADER_TOO_LARGE, cause.getMessage());
        } else {
            HttpResponses.problem(ctx, false, ErrorCode.BAD_REQUEST, "malformed HTTP request: " + cause.getMessage());
        }
    }
}
