package dev.switchboard.sidecar.cache;

import dev.switchboard.server.api.LingeringClose;
import dev.switchboard.sidecar.ops.AccessLog;
import dev.switchboard.sidecar.ops.TraceContext;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The cache in front of the proxy, one per connection (HTTP/1.1) or stream (HTTP/2), between the codec and
 * the {@code ProxyHandler}. Inbound, a GET is answered from a fresh entry, or joins an identical request
 * already on its way to the upstream and waits for its response, or goes on to the proxy (with the stale
 * entry's validators when there is one). Outbound, the proxy's responses are matched to those requests in
 * order: a storable one is copied as it streams (up to the per-entry limit) and stored at its end, and a
 * 304 answering our revalidation is replaced by the refreshed entry.
 *
 * <p>Threads: everything runs on the channel's event loop; a waiter's wake-up is moved back onto it.
 */
public final class CacheHandler extends ChannelDuplexHandler {
    private final ResponseCache cache;
    private final AccessLog accessLog;
    private final boolean tls;
    private final boolean http2;
    private final ArrayDeque<Forwarded> forwarded = new ArrayDeque<>(); // requests the proxy answers, in order
    private final ArrayDeque<Object> backlog = new ArrayDeque<>(); // read while a collapsed request waits
    private boolean dropBody; // the rest of a request answered here
    private boolean waiting;

    /** A request passed to the proxy, and what becomes of its response. */
    private static final class Forwarded {
        final HttpHeaders request;
        final String url; // null: the cache takes no part (not a cacheable GET)
        final String key;
        final boolean invalidates;
        final ResponseCache.Flight flight; // null when not collapsing
        final CachedResponse stale; // revalidated with its validators
        Capture capture;
        CachedResponse refreshed; // a 304 confirmed the stale entry: the client gets this instead

        Forwarded(HttpHeaders request, String url, String key, boolean invalidates, ResponseCache.Flight flight, CachedResponse stale) {
            this.request = request;
            this.url = url;
            this.key = key;
            this.invalidates = invalidates;
            this.flight = flight;
            this.stale = stale;
        }
    }

    public CacheHandler(ResponseCache cache, AccessLog accessLog, boolean tls, boolean http2) {
        this.cache = cache;
        this.accessLog = accessLog;
        this.tls = tls;
        this.http2 = http2;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (waiting) {
            backlog.add(msg);
        } else if (msg instanceof HttpRequest request) {
            onRequest(ctx, request);
        } else if (dropBody) {
            dropBody = !(msg instanceof LastHttpContent);
            ReferenceCountUtil.release(msg);
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    private void onRequest(ChannelHandlerContext ctx, HttpRequest request) {
        if (!CachePolicy.eligible(request, http2)) {
            String url = request.decoderResult().isSuccess() && CachePolicy.invalidates(request) ? CachePolicy.primaryKey(request, tls) : null;
            forward(ctx, request, new Forwarded(request.headers(), null, url, url != null, null, null));
            return;
        }
        String url = CachePolicy.primaryKey(request, tls);
        String key = cache.key(url, request.headers());
        long now = System.nanoTime();
        CachedResponse entry = cache.get(key);
        if (entry != null && !entry.matches(request.headers())) {
            entry = null;
        }
        CacheControl directives = CacheControl.of(request.headers());
        boolean freshEnough = entry != null && entry.isFresh(now) && !directives.noCache()
                && (directives.maxAge() < 0 || entry.ageSeconds(now) <= directives.maxAge());
        // Answering here while an earlier pipelined request is still with the proxy would overtake its response.
        boolean inOrder = forwarded.isEmpty();
        if (freshEnough && inOrder) {
            answer(ctx, request, entry, XCache.HIT, now);
            return;
        }
        CachedResponse stale = entry != null && entry.hasValidator() ? entry : null;
        boolean collapse = inOrder && !cache.passing(url) && (stale != null || !CachePolicy.conditional(request.headers()));
        ResponseCache.Flight flight = collapse ? cache.join(key) : null;
        if (flight != null && !flight.leader()) {
            await(ctx, request, flight);
            return;
        }
        HttpHeaders asked = request.headers(); // the proxy copies them before changing anything
        if (stale != null) {
            asked = asked.copy(); // as the client sent them: its conditionals are answered from the entry
            // Our validators, not the client's: the client is answered from the entry, whatever its own copy is.
            HttpHeaders h = request.headers();
            h.remove(HttpHeaderNames.IF_NONE_MATCH).remove(HttpHeaderNames.IF_MODIFIED_SINCE);
            if (stale.headers().contains(HttpHeaderNames.ETAG)) {
                h.set(HttpHeaderNames.IF_NONE_MATCH, stale.headers().get(HttpHeaderNames.ETAG));
            }
            if (stale.headers().contains(HttpHeaderNames.LAST_MODIFIED)) {
                h.set(HttpHeaderNames.IF_MODIFIED_SINCE, stale.headers().get(HttpHeaderNames.LAST_MODIFIED));
            }
        }
        forward(ctx, request, new Forwarded(asked, url, key, false, flight, stale));
    }

    private void forward(ChannelHandlerContext ctx, HttpRequest request, Forwarded f) {
        forwarded.add(f);
        ctx.fireChannelRead(request);
    }

    /** A collapsed request: reads stop until the leader's response is known, then it is answered or forwarded. */
    private void await(ChannelHandlerContext ctx, HttpRequest request, ResponseCache.Flight flight) {
        waiting = true;
        ctx.channel().config().setAutoRead(false);
        flight.outcome().whenComplete((entry, error) -> ctx.executor().execute(() -> resume(ctx, request, entry)));
    }

    private void resume(ChannelHandlerContext ctx, HttpRequest request, CachedResponse entry) {
        waiting = false;
        cache.woken();
        if (!ctx.channel().isActive()) {
            ReferenceCountUtil.release(request);
            backlog.forEach(ReferenceCountUtil::release);
            backlog.clear();
            return;
        }
        if (entry != null && entry.matches(request.headers())) {
            answer(ctx, request, entry, XCache.HIT, System.nanoTime());
        } else {
            // Not storable after all (or another variant): this request goes to the upstream itself.
            String url = CachePolicy.primaryKey(request, tls);
            forward(ctx, request, new Forwarded(request.headers().copy(), url, cache.key(url, request.headers()), false, null, null));
        }
        ctx.channel().config().setAutoRead(true);
        while (!waiting && !backlog.isEmpty()) {
            channelRead(ctx, backlog.poll());
        }
    }

    private void answer(ChannelHandlerContext ctx, HttpRequest request, CachedResponse entry, String outcome, long now) {
        boolean notModified = CachePolicy.notModified(request.headers(), entry);
        HttpResponse head = entry.head(now, notModified, outcome);
        boolean keepAlive = http2 || HttpUtil.isKeepAlive(request);
        if (!http2) {
            HttpUtil.setKeepAlive(head, keepAlive);
        }
        LastHttpContent body = entry.body(notModified);
        long bytes = body.content().readableBytes();
        ctx.write(head);
        var written = ctx.writeAndFlush(body);
        if (!keepAlive) {
            LingeringClose.after(written);
        }
        dropBody = !(request instanceof LastHttpContent);
        ReferenceCountUtil.release(request);
        cache.metrics().onCache("hit");
        cache.metrics().onRequest(request.method().name(), request.uri(), head.status().code(), -1, System.nanoTime() - now);
        accessLog.log(request.method().name(), request.uri(), head.status().code(), bytes, -1, System.nanoTime() - now,
                TraceContext.continueOrStart(request.headers().get(TraceContext.HEADER)).traceId(), client(ctx), "cache-hit");
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        Forwarded f = forwarded.peek();
        if (f == null || msg instanceof HttpResponse r && r.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
            ctx.write(msg, promise); // interim responses (100 Continue) come before the one that counts
            return;
        }
        if (msg instanceof HttpResponse head) {
            responseHead(f, head);
        }
        if (f.refreshed != null) {
            writeRefreshed(ctx, f, msg, promise);
        } else {
            if (f.capture != null && msg instanceof HttpContent content && !f.capture.add(content.content())) {
                f.capture = null; // too big to keep: it streams on, and waiters fetch for themselves
                settle(f, null);
            }
            ctx.write(msg, promise);
        }
        if (msg instanceof LastHttpContent) {
            forwarded.poll();
            if (f.capture != null) {
                CachedResponse entry = f.capture.entry();
                cache.store(f.url, entry);
                settle(f, entry);
            }
        }
    }

    private void responseHead(Forwarded f, HttpResponse head) {
        int status = head.status().code();
        if (f.invalidates && status < 400) {
            cache.invalidate(f.key);
        }
        if (f.url == null) {
            return;
        }
        long now = System.nanoTime();
        if (status == 304 && f.stale != null) {
            f.refreshed = f.stale.refreshed(head.headers(), now);
            if (f.refreshed == null) { // the upstream no longer lets us store it: serve it this once
                cache.remove(f.stale);
                f.refreshed = f.stale;
                settle(f, null);
            } else {
                cache.store(f.url, f.refreshed);
                settle(f, f.refreshed);
            }
            cache.metrics().onCache("revalidated");
            return;
        }
        cache.metrics().onCache("miss");
        head.headers().set(XCache.HEADER, XCache.MISS);
        CachePolicy.Freshness freshness = CachePolicy.storable(head, f.request.contains(HttpHeaderNames.AUTHORIZATION));
        long length = HttpUtil.getContentLength(head, -1L);
        if (freshness == null || length > cache.maxEntryBytes()) {
            if (f.stale != null) {
                cache.remove(f.stale); // replaced by a response we may not keep
            }
            settle(f, null); // waiters need not wait for the body to know
            return;
        }
        List<String> varyValues = CachePolicy.varyValues(f.request, freshness.varyNames());
        String key = freshness.varyNames().isEmpty() ? f.url : f.url + "\n" + String.join("\n", varyValues);
        f.capture = new Capture(key, head, freshness, varyValues, cache.maxEntryBytes(), now);
    }

    /** Our revalidation came back 304: the client gets the refreshed entry (or its own 304), and the upstream's 304 goes nowhere. */
    private void writeRefreshed(ChannelHandlerContext ctx, Forwarded f, Object msg, ChannelPromise promise) {
        boolean notModified = CachePolicy.notModified(f.request, f.refreshed);
        if (msg instanceof HttpResponse upstreamHead) {
            HttpResponse head = f.refreshed.head(System.nanoTime(), notModified, XCache.REVALIDATED);
            head.headers().set(HttpHeaderNames.CONNECTION, upstreamHead.headers().getAll(HttpHeaderNames.CONNECTION)); // the proxy's keep-alive choice
            ctx.write(head, msg instanceof LastHttpContent ? ctx.voidPromise() : promise);
        }
        if (msg instanceof LastHttpContent) {
            ctx.write(f.refreshed.body(notModified), promise);
        } else if (!(msg instanceof HttpResponse)) {
            promise.setSuccess(); // a 304 has no body; nothing of it reaches the client
        }
        ReferenceCountUtil.release(msg);
    }

    /**
     * The proxy holds the current request (GRIP): its answer comes when a message does, and is not stored.
     * Identical requests waiting for it go to the app now instead of waiting out the hold.
     */
    public void holding() {
        Forwarded f = forwarded.peek();
        if (f != null) {
            settle(f, null);
        }
    }

    /** Ends the flight this request leads, if any (once). */
    private void settle(Forwarded f, CachedResponse entry) {
        if (f.flight != null && !f.flight.outcome().isDone()) {
            cache.land(f.key, f.flight.outcome(), entry, f.url);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        // Responses cut short: nothing is stored, and whoever waits for them fetches for themselves.
        forwarded.stream().filter(f -> f.flight != null && !f.flight.outcome().isDone())
                .forEach(f -> cache.land(f.key, f.flight.outcome(), null, null));
        forwarded.clear();
        if (!waiting) {
            backlog.forEach(ReferenceCountUtil::release);
            backlog.clear();
        }
        ctx.fireChannelInactive();
    }

    private static String client(ChannelHandlerContext ctx) {
        var address = ctx.channel().remoteAddress(); // an HTTP/2 stream answers with its connection's peer
        return address instanceof InetSocketAddress a && a.getAddress() != null ? a.getAddress().getHostAddress() : String.valueOf(address);
    }
}
