package dev.switchboard.sidecar.proxy;

import dev.switchboard.core.error.ErrorCode;
import dev.switchboard.server.api.HttpResponses;
import dev.switchboard.server.api.LingeringClose;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.ReferenceCountUtil;
import java.net.SocketAddress;
import java.util.ArrayDeque;

/**
 * The client side of the proxy, one per connection (HTTP/1.1) or per stream (HTTP/2). Runs one
 * {@link ProxyExchange} at a time; requests a client pipelines behind it wait here, and the
 * connection stops reading until the exchange ends. An {@code Upgrade: websocket} request hands the
 * connection to a {@link WebSocketTunnel} instead. Everything here runs on the client's event loop.
 */
public final class ProxyHandler extends ChannelInboundHandlerAdapter {
    private final ProxyContext proxy;
    private final boolean tls;
    private final ArrayDeque<Object> waiting = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private String clientIp; // the peer's, looked up once per connection: every exchange needs it for Forwarded and the log
    private boolean trustedPeer;
    private ProxyExchange exchange;
    private boolean draining;
    private boolean rejected;
    private boolean tunnelled; // a WebSocket upgrade handed the connection to a WebSocketTunnel

    public ProxyHandler(ProxyContext proxy, boolean tls) {
        this.proxy = proxy;
        this.tls = tls;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        SocketAddress peer = ctx.channel().remoteAddress(); // an HTTP/2 stream's is its connection's
        this.clientIp = ProxyHeaders.ip(peer);
        this.trustedPeer = proxy.config().trustedProxies().trusts(peer);
    }

    /** The client's IP address, or null when the peer has none (see {@link ProxyHeaders#ip}). */
    String clientIp() {
        return clientIp;
    }

    /** The client as the access log names it: its IP address, else whatever the channel calls its peer. */
    String clientLabel() {
        return clientIp != null ? clientIp : String.valueOf(ctx.channel().remoteAddress());
    }

    /** Whether the peer is in {@code --trusted-proxies}, so its forwarding headers are extended rather than replaced. */
    boolean trustedPeer() {
        return trustedPeer;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (rejected || tunnelled || exchange != null && exchange.discardsInput()) {
            ReferenceCountUtil.release(msg); // after a refusal, under a held SSE stream, or the upgrade request's end
            return;
        }
        if (!waiting.isEmpty() || exchange != null && exchange.requestDone()) {
            waiting.add(msg); // a pipelined request: its turn comes when this exchange ends
            ctx.channel().config().setAutoRead(false);
            return;
        }
        dispatch(msg);
    }

    private void dispatch(Object msg) {
        if (exchange != null) {
            exchange.fromClient((HttpContent) msg);
            return;
        }
        if (!(msg instanceof HttpRequest request)) {
            ReferenceCountUtil.release(msg); // the rest of a request we already answered (and are closing)
            return;
        }
        String invalid = RequestChecks.problem(request);
        if (invalid != null) {
            ReferenceCountUtil.release(msg);
            reject(invalid);
            return;
        }
        if (!isHttp2(ctx) && WebSocketTunnel.isUpgrade(request)) {
            tunnelled = true;
            WebSocketTunnel.open(proxy, ctx, request, tls);
            return;
        }
        exchange = new ProxyExchange(this, ctx, proxy, request, tls);
        exchange.start();
        if (msg instanceof HttpContent content) { // a request decoded whole (HTTP/2 with END_STREAM on the headers)
            exchange.fromClient(content);
        }
    }

    /** Any smuggling-shaped request ends the connection: what follows it on the wire cannot be trusted. */
    void reject(String detail) {
        ctx.channel().config().setAutoRead(false);
        FullHttpResponse r = HttpResponses.problemResponse(ErrorCode.BAD_REQUEST, detail);
        r.headers().set("connection", "close");
        waiting.forEach(ReferenceCountUtil::release);
        waiting.clear();
        LingeringClose.after(ctx.writeAndFlush(r));
        rejected = true; // nothing more is read as requests
    }

    /** The exchange ended; {@code keepAlive}: the connection may carry the next request. */
    void exchangeEnded(boolean keepAlive) {
        exchange = null;
        if (!keepAlive) {
            waiting.forEach(ReferenceCountUtil::release);
            waiting.clear();
            return;
        }
        if (draining) {
            return; // an exchange started from the queue ended at once: the loop below goes on
        }
        draining = true;
        try {
            // Feed queued messages to the next exchanges until one still waits for its answer.
            while (!waiting.isEmpty() && !rejected && (exchange == null || !exchange.requestDone())) {
                dispatch(waiting.poll());
            }
        } finally {
            draining = false;
        }
        if (waiting.isEmpty() && !rejected && (exchange == null || !exchange.requestDone())) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    static boolean isHttp2(ChannelHandlerContext ctx) {
        return ctx.channel() instanceof Http2StreamChannel;
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (exchange != null) {
            exchange.clientWritabilityChanged(ctx.channel().isWritable());
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        waiting.forEach(ReferenceCountUtil::release);
        waiting.clear();
        if (exchange != null) {
            exchange.clientClosed();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close(); // a reset by the client, most often
    }

    /** Answers a problem that ends the exchange before any upstream response; used by the exchange. */
    void answer(FullHttpResponse r, boolean keepAlive) {
        HttpResponses.send(ctx, keepAlive && !isHttp2(ctx), r);
    }
}
