package dev.switchboard.sidecar.proxy;

import dev.switchboard.server.api.HttpResponses;
import dev.switchboard.core.error.ErrorCode;
import dev.switchboard.server.api.LingeringClose;
import dev.switchboard.sidecar.cache.CacheHandler;
import dev.switchboard.sidecar.grip.GripInstruction;
import dev.switchboard.sidecar.grip.Hold;
import dev.switchboard.sidecar.ops.TraceContext;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One request through the proxy, in order: lease an upstream connection → send the rewritten head and
 * stream the body (client reads pause while the upstream is unwritable) → stream the response back
 * (upstream reads pause while the client is unwritable) → return the connection → one access log line.
 * A response carrying {@code Grip-Hold} is buffered instead and handed to the {@code GripHolds}.
 *
 * <p>Threads: all state is the client event loop's; what the upstream connection reports on its own
 * loop is handed over first ({@link #onClientLoop}).
 *
 * <p>Over 400 lines on purpose: it is one state machine (lease, request, response, hold, retry, failure)
 * whose transitions share a dozen fields; split across classes, each transition would need them all.
 * Splitting the request and response halves into two listeners is the next step if it grows.
 */
final class ProxyExchange implements UpstreamListener {
    /** RFC 9110 §9.2.2: the methods a request may be sent again by for a connection that failed. */
    private static final Set<HttpMethod> IDEMPOTENT = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS,
            HttpMethod.TRACE, HttpMethod.PUT, HttpMethod.DELETE);

    private final ProxyHandler handler;
    private final ChannelHandlerContext ctx;
    private final ProxyContext proxy;
    private final HttpRequest upstreamRequest;
    private final String method;
    private final String uri;
    private final boolean head;
    private final boolean clientHttp10;
    private final boolean bodyless;
    private final boolean idempotent;
    private final TraceContext trace;
    private final long startNanos = System.nanoTime();
    private final List<HttpContent> early = new ArrayList<>(2); // body read before a connection was leased
    private boolean clientKeepAlive;
    private UpstreamConnection conn;
    private boolean reusedConnection;
    private boolean retried;
    private boolean requestDone;
    private boolean headSent;
    private final boolean expectContinue;
    private boolean responseStarted;
    private boolean interim; // a 1xx went by; its empty last content is not the response's end
    private boolean upstreamKeepAlive;
    private boolean awaitingHead; // counted in this loop's LoopSpin
    private boolean finished;
    private long sentNanos = -1;
    private long upstreamNanos = -1;
    private int status;
    private long bytes;
    private ScheduledFuture<?> timeout;
    private GripInstruction grip;
    private HttpResponse gripHead;
    private CompositeByteBuf gripBody;
    private Hold hold;

    ProxyExchange(ProxyHandler handler, ChannelHandlerContext ctx, ProxyContext proxy, HttpRequest request, boolean tls) {
        this.handler = handler;
        this.ctx = ctx;
        this.proxy = proxy;
        this.method = request.method().name();
        this.uri = request.uri();
        this.head = request.method().equals(HttpMethod.HEAD);
        this.idempotent = IDEMPOTENT.contains(request.method());
        this.clientHttp10 = request.protocolVersion().equals(HttpVersion.HTTP_1_0);
        this.clientKeepAlive = HttpUtil.isKeepAlive(request);
        this.expectContinue = HttpUtil.is100ContinueExpected(request);
        this.trace = TraceContext.continueOrStart(request.headers().get(TraceContext.HEADER));
        boolean hasLength = request.headers().contains(HttpHeaderNames.CONTENT_LENGTH);
        boolean chunked;
        if (ProxyHandler.isHttp2(ctx)) {
            // HTTP/2 frames its body itself: a request that did not end with its headers has one.
            this.bodyless = request instanceof LastHttpContent;
            chunked = !bodyless && !hasLength;
        } else {
            chunked = HttpUtil.isTransferEncodingChunked(request);
            this.bodyless = !chunked && HttpUtil.getContentLength(request, 0L) == 0;
        }
        var headers = request.headers().copy();
        ProxyHeaders.stripHopByHop(headers);
        if (chunked) {
            headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        ProxyHeaders.addForwarded(headers, handler.clientIp(), tls, proxy.config().upstreamAuthority(), handler.trustedPeer());
        headers.set(TraceContext.HEADER, trace.header());
        this.upstreamRequest = new DefaultHttpRequest(HttpVersion.HTTP_1_1, request.method(), request.uri(), headers);
    }

    boolean requestDone() {
        return requestDone;
    }

    void start() {
        lease();
        if (conn == null && !finished) {
            // Until a connection is leased, what the client sends would pile up in early: stop reading. Only then:
            // each change of auto-read is a system call (epoll_ctl), and most leases complete at once.
            ctx.channel().config().setAutoRead(false);
        }
    }

    private void lease() {
        proxy.pool().acquire(ctx.channel().eventLoop()).whenComplete((c, error) -> onClientLoop(() -> {
            if (error != null) {
                fail(error instanceof UpstreamException u ? u
                        : new UpstreamException(UpstreamException.Kind.DOWN, UpstreamPool.describe(error)));
            } else {
                leased(c);
            }
        }));
    }

    private void leased(UpstreamConnection c) {
        if (finished) {
            proxy.pool().release(c, true); // nothing was written on it
            return;
        }
        conn = c;
        reusedConnection = c.uses() > 1;
        c.attach(this);
        // The head waits for the first body bytes (unless the client waits for 100 Continue): a body that
        // fails to decode in the same packet then stops the request before the upstream sees any of it.
        if (bodyless || requestDone || !early.isEmpty() || expectContinue) {
            sendHead();
        }
        if (!requestDone) {
            ctx.channel().config().setAutoRead(c.channel().isWritable());
        }
    }

    private void sendHead() {
        headSent = true;
        conn.channel().write(upstreamRequest);
        sentNanos = System.nanoTime();
        awaitingHead(true);
        if (bodyless) {
            conn.channel().write(LastHttpContent.EMPTY_LAST_CONTENT); // so a retry can send the whole request again
        }
        for (HttpContent content : early) {
            conn.channel().write(content);
        }
        early.clear();
        conn.channel().flush();
        timeout = ctx.executor().schedule(() -> {
            if (!responseStarted && !finished) {
                fail(new UpstreamException(UpstreamException.Kind.TIMEOUT, "the upstream sent no response within "
                        + proxy.config().upstreamTimeout().toMillis() + "ms (upstream-timeout) to " + method + " " + path()));
            }
        }, proxy.config().upstreamTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Request body from the client (client loop). */
    void fromClient(HttpContent content) {
        if (content.decoderResult().isFailure()) {
            Throwable c = content.decoderResult().cause();
            content.release();
            if (!finished && responseStarted) {
                end(false, false, "rejected");
                ctx.close();
            } else if (!finished) {
                status = 400;
                end(false, false, "rejected");
                handler.reject("malformed request body: " + (c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage()));
            }
            return;
        }
        if (content instanceof LastHttpContent) {
            requestDone = true; // reading goes on: a request pipelined behind this one waits in the ProxyHandler
        }
        if (finished || bodyless) {
            content.release(); // bodyless: its (empty) end was sent with the head
            return;
        }
        if (conn == null) {
            early.add(content);
            return;
        }
        if (!headSent) {
            early.add(content);
            sendHead();
        } else {
            conn.channel().writeAndFlush(content);
        }
        if (!requestDone && !conn.channel().isWritable()) {
            ctx.channel().config().setAutoRead(false);
        }
    }

    @Override
    public void upstreamRead(Object msg) {
        if (ctx.executor().inEventLoop()) {
            fromUpstream(msg); // the usual case (the pool prefers the client's loop): no task allocated per message
        } else {
            ctx.executor().execute(() -> fromUpstream(msg));
        }
    }

    private void fromUpstream(Object msg) {
        if (finished) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpResponse response) {
            responseHead(response);
        }
        if (msg instanceof HttpContent content) {
            responseContent(content);
        }
    }

    private void responseHead(HttpResponse response) {
        int code = response.status().code();
        if (code >= 100 && code < 200 && code != 101) {
            interim = true;
            ctx.writeAndFlush(response); // 100 Continue and friends: the client may be waiting for it
            return;
        }
        responseStarted = true;
        cancelTimeout();
        upstreamNanos = System.nanoTime() - sentNanos;
        awaitingHead(false);
        LoopSpin.upstreamAnswered(upstreamNanos);
        status = code;
        upstreamKeepAlive = HttpUtil.isKeepAlive(response);
        try {
            grip = proxy.holds().instruction(response.headers());
        } catch (IllegalArgumentException e) {
            responseStarted = false; // nothing went to the client: it gets a 502 naming the mistake
            ReferenceCountUtil.release(response);
            fail(new UpstreamException(UpstreamException.Kind.DOWN, "the upstream's hold instruction is invalid: " + e.getMessage()));
            return;
        }
        if (grip != null) {
            CacheHandler cache = ctx.pipeline().get(CacheHandler.class);
            if (cache != null) {
                cache.holding();
            }
            ProxyHeaders.stripHopByHop(response.headers());
            gripHead = response; // the body is buffered: it is the first part of what the client gets
            gripBody = ctx.alloc().compositeBuffer();
            return;
        }
        boolean hasLength = response.headers().contains(HttpHeaderNames.CONTENT_LENGTH);
        ProxyHeaders.stripHopByHop(response.headers());
        response.setProtocolVersion(HttpVersion.HTTP_1_1);
        boolean mayHaveBody = !head && code != 204 && code != 304;
        if (mayHaveBody && !hasLength) {
            if (clientHttp10) {
                clientKeepAlive = false; // an HTTP/1.0 client reads such a body until the connection closes
            } else {
                response.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            }
        }
        HttpUtil.setKeepAlive(response, clientKeepAlive);
        ctx.write(response);
    }

    private void responseContent(HttpContent content) {
        boolean last = content instanceof LastHttpContent;
        if (interim) {
            content.release();
            interim = !last;
            return;
        }
        if (grip != null) {
            gripContent(content, last);
            return;
        }
        bytes += content.content().readableBytes();
        if (!last) {
            ctx.writeAndFlush(content);
            if (!ctx.channel().isWritable()) {
                conn.channel().config().setAutoRead(false);
            }
            return;
        }
        var written = ctx.writeAndFlush(content);
        boolean reusable = upstreamKeepAlive && requestDone;
        boolean keepAlive = clientKeepAlive && requestDone;
        end(reusable, keepAlive, null);
        if (!keepAlive && !ProxyHandler.isHttp2(ctx)) {
            LingeringClose.after(written);
        }
    }

    private void gripContent(HttpContent content, boolean last) {
        if (gripBody == null) { // refused as too large: the rest is dropped
            content.release();
            return;
        }
        if (gripBody.readableBytes() + content.content().readableBytes() > proxy.config().maxHoldBody()) {
            content.release();
            gripBody.release();
            gripBody = null;
            responseStarted = false; // nothing went to the client yet: it gets a 502
            fail(new UpstreamException(UpstreamException.Kind.DOWN, "the upstream's hold instruction carries a body over "
                    + proxy.config().maxHoldBody() + " bytes"));
            return;
        }
        gripBody.addComponent(true, content.content().retain());
        content.release();
        if (!last) {
            return;
        }
        boolean reusable = upstreamKeepAlive && requestDone;
        releaseConnection(reusable);
        ByteBuf body = gripBody;
        gripBody = null;
        hold = proxy.holds().hold(ctx, grip, gripHead, body, clientKeepAlive && requestDone, ProxyHandler.isHttp2(ctx),
                (holdStatus, holdBytes, keepAlive) -> {
                    status = holdStatus;
                    bytes = holdBytes;
                    end(false, keepAlive, "hold-" + grip.kind().text() + ":" + grip.topic());
                });
    }

    @Override
    public void upstreamWritabilityChanged(boolean writable) {
        onClientLoop(() -> {
            if (!finished && !requestDone && conn != null) {
                ctx.channel().config().setAutoRead(writable);
            }
        });
    }

    @Override
    public void upstreamClosed(Throwable cause) {
        onClientLoop(() -> {
            if (finished || conn == null) {
                return;
            }
            if (!responseStarted && reusedConnection && bodyless && idempotent && !retried) {
                // A kept-alive connection the upstream closed just as we reused it: nothing was answered, and
                // an idempotent request without a body is safe to send again on a fresh connection. Others
                // are not (RFC 9110 §9.2.2: a proxy must not retry a non-idempotent request by itself).
                retried = true;
                conn.attach(null);
                proxy.pool().release(conn, false);
                conn = null;
                cancelTimeout();
                headSent = false;
                lease();
                return;
            }
            if (responseStarted && gripBody == null) {
                // The response is cut short: the client must see that too, or it takes a truncated body as whole.
                end(false, false, "upstream-closed");
                ctx.close();
                return;
            }
            fail(new UpstreamException(UpstreamException.Kind.DOWN, "the upstream closed the connection before answering "
                    + method + " " + path() + (cause == null ? "" : " (" + UpstreamPool.describe(cause) + ")")));
        });
    }

    void clientWritabilityChanged(boolean writable) {
        if (!finished && responseStarted && conn != null) {
            conn.channel().config().setAutoRead(writable);
        }
    }

    /** True while a held SSE stream owns the connection: what the client sends is dropped. */
    boolean discardsInput() {
        return hold != null && hold.discardsInput();
    }

    void clientClosed() {
        if (hold != null) {
            hold.clientClosed(); // ends the exchange through the hold's callback
            return;
        }
        if (!finished) {
            status = responseStarted ? status : 499; // nginx's "client closed request"
            end(false, false, "client-closed");
        }
    }

    /** No (whole) response from the upstream: a problem for the client, the connection closed. */
    private void fail(UpstreamException e) {
        if (finished) {
            return;
        }
        if (responseStarted) {
            end(false, false, "upstream-failed");
            ctx.close();
            return;
        }
        ErrorCode problem = switch (e.kind()) {
            case DOWN -> ErrorCode.UPSTREAM_UNAVAILABLE;
            case BUSY -> ErrorCode.UPSTREAM_BUSY;
            case TIMEOUT -> ErrorCode.UPSTREAM_TIMEOUT;
        };
        status = problem.status();
        proxy.metrics().onUpstreamError(problem.slug());
        var response = HttpResponses.problemResponse(problem, e.getMessage());
        bytes = response.content().readableBytes();
        boolean keepAlive = clientKeepAlive && requestDone;
        handler.answer(response, keepAlive);
        end(false, keepAlive, e.kind().name().toLowerCase(java.util.Locale.ROOT));
    }

    private void end(boolean reusable, boolean keepAlive, String note) {
        finished = true;
        awaitingHead(false);
        cancelTimeout();
        early.forEach(HttpContent::release);
        early.clear();
        if (gripBody != null) {
            gripBody.release();
            gripBody = null;
        }
        releaseConnection(reusable);
        proxy.metrics().onRequest(method, uri, status, upstreamNanos, System.nanoTime() - startNanos);
        proxy.accessLog().log(method, uri, status, bytes, upstreamNanos, System.nanoTime() - startNanos, trace.traceId(), handler.clientLabel(), note);
        handler.exchangeEnded(keepAlive && ctx.channel().isActive());
    }

    private void awaitingHead(boolean now) {
        if (awaitingHead != now) {
            awaitingHead = now;
            LoopSpin.awaitingUpstream(now ? 1 : -1);
        }
    }

    private void cancelTimeout() {
        if (timeout != null) {
            timeout.cancel(false);
        }
    }

    private void releaseConnection(boolean reusable) {
        if (conn != null) {
            UpstreamConnection c = conn;
            conn = null;
            proxy.pool().release(c, reusable);
        }
    }

    private String path() {
        int q = uri.indexOf('?');
        return q < 0 ? uri : uri.substring(0, q);
    }

    private void onClientLoop(Runnable task) {
        if (ctx.executor().inEventLoop()) {
            task.run();
        } else {
            ctx.executor().execute(task);
        }
    }
}
