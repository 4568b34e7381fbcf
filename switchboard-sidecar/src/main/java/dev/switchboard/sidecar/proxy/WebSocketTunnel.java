package dev.switchboard.sidecar.proxy;

import dev.switchboard.core.error.ErrorCode;
import dev.switchboard.server.api.HttpResponses;
import dev.switchboard.sidecar.ops.TraceContext;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * WebSocket passthrough: a client's {@code Upgrade: websocket} request goes to the upstream on a connection
 * of its own (never the pool's: it will not come back), on the client's event loop. Once the upstream
 * answers {@code 101}, both pipelines drop their HTTP handlers and the sockets are spliced byte for byte
 * ({@link Splice}), so frames, pings and close frames pass untouched. Any other answer is relayed and the
 * client connection closed.
 */
final class WebSocketTunnel extends ChannelInboundHandlerAdapter {
    private final ProxyContext proxy;
    private final ChannelHandlerContext client;
    private final HttpRequest request;
    private final TraceContext trace;
    private final long startNanos = System.nanoTime();
    private final AtomicLong toClient = new AtomicLong();
    private final AtomicLong toUpstream = new AtomicLong();
    private ScheduledFuture<?> timeout;
    private int status;
    private boolean switched;
    private boolean relaying; // a refusal from the upstream on its way to the client

    private WebSocketTunnel(ProxyContext proxy, ChannelHandlerContext client, HttpRequest clientRequest, boolean tls) {
        this.proxy = proxy;
        this.client = client;
        this.trace = TraceContext.continueOrStart(clientRequest.headers().get(TraceContext.HEADER));
        var headers = clientRequest.headers().copy();
        String upgrade = headers.get(HttpHeaderNames.UPGRADE);
        ProxyHeaders.stripHopByHop(headers);
        headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE).set(HttpHeaderNames.UPGRADE, upgrade);
        ProxyHeaders.addForwarded(headers, ProxyHeaders.ip(client.channel().remoteAddress()), tls, proxy.config().upstreamAuthority(),
                proxy.config().trustedProxies().trusts(client.channel().remoteAddress()));
        headers.set(TraceContext.HEADER, trace.header());
        this.request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, clientRequest.method(), clientRequest.uri(), headers);
    }

    /** A WebSocket opening handshake (RFC 6455 §4.1): a GET asking to upgrade to websocket. */
    static boolean isUpgrade(HttpRequest r) {
        return r.method().equals(HttpMethod.GET) && r.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)
                && r.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true);
    }

    /** Opens the upstream connection for {@code request}; the client connection belongs to the tunnel from now on. */
    static void open(ProxyContext proxy, ChannelHandlerContext client, HttpRequest request, boolean tls) {
        WebSocketTunnel t = new WebSocketTunnel(proxy, client, request, tls);
        client.channel().config().setAutoRead(false); // nothing is read from the client until the upstream agrees
        @SuppressWarnings("unchecked")
        Class<? extends Channel> type = (Class<? extends Channel>) client.channel().getClass();
        new Bootstrap().group(client.channel().eventLoop()).channel(type)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) proxy.config().pool().acquireTimeout().toMillis())
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast("http", new HttpClientCodec(4096, proxy.config().maxHeaderBytes(), 64 * 1024))
                                .addLast("tunnel", t);
                    }
                })
                .connect(proxy.config().upstreamHost(), proxy.config().upstreamPort())
                .addListener((ChannelFutureListener) f -> {
                    if (!f.isSuccess()) {
                        t.refuse(ErrorCode.UPSTREAM_UNAVAILABLE, "cannot connect to the upstream " + proxy.config().upstreamHost() + ":"
                                + proxy.config().upstreamPort() + " for a WebSocket: " + UpstreamPool.describe(f.cause()));
                    }
                });
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(request);
        ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        timeout = ctx.executor().schedule(() -> {
            if (!switched && !relaying) {
                ctx.close();
                refuse(ErrorCode.UPSTREAM_TIMEOUT, "the upstream did not answer the WebSocket upgrade of " + request.uri() + " within "
                        + proxy.config().upstreamTimeout().toMillis() + "ms (upstream-timeout)");
            }
        }, proxy.config().upstreamTimeout().toMillis(), TimeUnit.MILLISECONDS);
        client.channel().closeFuture().addListener(f -> ctx.close()); // a client gone before the switch
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpResponse response) {
            timeout.cancel(false);
            status = response.status().code();
            switched = status == HttpResponseStatus.SWITCHING_PROTOCOLS.code();
            relaying = !switched;
            if (relaying) { // the app said no (403, 404…): the client hears why, then the connection ends
                ProxyHeaders.stripHopByHop(response.headers());
                if (!response.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
                    HttpUtil.setTransferEncodingChunked(response, true);
                }
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            }
            client.write(response);
        }
        if (msg instanceof HttpContent content) {
            if (relaying) {
                toClient.addAndGet(content.content().readableBytes());
                client.writeAndFlush(content).addListener(content instanceof LastHttpContent ? ChannelFutureListener.CLOSE : f -> { });
                if (content instanceof LastHttpContent) {
                    ctx.close();
                    log("websocket-refused");
                }
                return;
            }
            content.release();
            if (content instanceof LastHttpContent && switched) {
                splice(ctx);
                client.channel().flush(); // the 101, encoded before the HTTP handlers left
            }
            return;
        }
        if (!(msg instanceof HttpResponse)) {
            ReferenceCountUtil.release(msg); // nothing else comes before the switch
        }
    }

    /** Both pipelines become byte pipes: the client loses its HTTP handlers, the upstream its codec. */
    private void splice(ChannelHandlerContext upstream) {
        Channel up = upstream.channel();
        Channel down = client.channel();
        ChannelPipeline cp = down.pipeline();
        for (String name : new String[] {"cache", "proxy", "encoder"}) {
            if (cp.get(name) != null) {
                cp.remove(name);
            }
        }
        cp.addLast("splice", new Splice(up, toUpstream));
        cp.remove("decoder"); // after the splice is in place: bytes it already holds go on to it
        ChannelPipeline up2 = up.pipeline();
        up2.addLast("splice", new Splice(down, toClient));
        up2.remove(this);
        up2.remove("http");
        proxy.metrics().onTunnelOpened();
        down.closeFuture().addListener(f -> {
            proxy.metrics().onTunnelClosed();
            log("websocket");
        });
        down.config().setAutoRead(true);
        up.config().setAutoRead(true);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!switched && !relaying) {
            refuse(ErrorCode.UPSTREAM_UNAVAILABLE, "the upstream closed the connection before answering the WebSocket upgrade of "
                    + request.uri());
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    private void refuse(ErrorCode problem, String detail) {
        if (switched || relaying || !client.channel().isActive()) {
            return;
        }
        relaying = true;
        status = problem.status();
        proxy.metrics().onUpstreamError(problem.slug());
        var r = HttpResponses.problemResponse(problem, detail);
        r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        toClient.addAndGet(r.content().readableBytes());
        client.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
        log(problem.slug());
    }

    private void log(String note) {
        proxy.metrics().onRequest(request.method().name(), request.uri(), status, -1, System.nanoTime() - startNanos);
        String ip = client.channel().remoteAddress() instanceof InetSocketAddress a && a.getAddress() != null
                ? a.getAddress().getHostAddress() : String.valueOf(client.channel().remoteAddress());
        proxy.accessLog().log(request.method().name(), request.uri(), status, toClient.get(), -1, System.nanoTime() - startNanos, trace.traceId(),
                ip, note + " up_bytes=" + toUpstream.get());
    }
}
