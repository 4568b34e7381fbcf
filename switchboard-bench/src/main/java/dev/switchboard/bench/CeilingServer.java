package dev.switchboard.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The generator's ceiling: a trivial server, in a process of its own ({@link CeilingServerMain}), that
 * answers an SSE request or a WebSocket {@code subscribe} like Switchboard does and then writes pre-encoded deliveries
 * ({@link CeilingFrames}) as fast as each socket takes them. No hub, no store, no fan-out: what the
 * bench's clients receive from it per second is the most they can count on this machine.
 */
final class CeilingServer implements AutoCloseable {
    /** As many loops as the machine has cores, on epoll when available: the ceiling must not be slower than the clients it feeds. */
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(Runtime.getRuntime().availableProcessors(),
            Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    private final Channel listener;
    private final ChannelGroup connections;
    /** Connections wait for {@link #release} before pumping: they all start together, as a publisher's first message would start them. */
    private final CompletableFuture<Void> released = new CompletableFuture<>();

    /**
     * @param sendBuffer each connection's {@code SO_SNDBUF} ({@link dev.switchboard.bench.wire.SocketBuffers}); the
     *        water marks keep a few blocks queued above it, enough for the next turn, not megabytes per socket
     */
    CeilingServer(int sendBuffer) throws InterruptedException {
        connections = new DefaultChannelGroup(group.next());
        listener = new ServerBootstrap().group(group).channel(Epoll.isAvailable() ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 << 10, 64 << 10))
                .childOption(ChannelOption.SO_SNDBUF, sendBuffer)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        connections.add(ch);
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 16), new Pump(released));
                    }
                }).bind("127.0.0.1", 0).sync().channel();
    }

    String url() {
        return "http://127.0.0.1:" + ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /** Starts the deliveries on every connection, present and future. */
    void release() {
        released.complete(null);
    }

    @Override
    public void close() {
        listener.close();
        connections.close().syncUninterruptibly(); // releases what is still queued on them before the loops stop
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** One connection: answers its request, then keeps its socket full. */
    private static final class Pump extends SimpleChannelInboundHandler<Object> {
        private static final String SSE_HEAD = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n";

        private static final int BURST = 64;

        private CeilingFrames frames;
        private boolean pumping;
        private final CompletableFuture<Void> released;
        private long next = CeilingFrames.FIRST_OFFSET;

        Pump(CompletableFuture<Void> released) {
            this.released = released;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof FullHttpRequest req && req.uri().startsWith("/v1/ws")) {
                WebSocketServerHandshaker hs = new WebSocketServerHandshakerFactory("ws://" + req.headers().get(HttpHeaderNames.HOST) + "/v1/ws",
                        null, false).newHandshaker(req);
                hs.handshake(ctx.channel(), req);
            } else if (msg instanceof FullHttpRequest) {
                // From here on raw bytes: the response head, then chunks framed in advance by CeilingFrames.
                ctx.pipeline().remove(HttpServerCodec.class);
                ctx.write(Unpooled.copiedBuffer(SSE_HEAD, StandardCharsets.US_ASCII));
                start(ctx, CeilingFrames.sse());
            } else if (msg instanceof TextWebSocketFrame) {
                ctx.write(new TextWebSocketFrame("{\"type\":\"subscribed\",\"topic\":\"ceiling\",\"next\":0}"));
                start(ctx, CeilingFrames.ws());
            }
        }

        private void start(ChannelHandlerContext ctx, CeilingFrames f) {
            ctx.flush();
            released.thenRun(() -> ctx.executor().execute(() -> {
                this.frames = f;
                pump(ctx);
            }));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // a client that goes away at the end of a run resets its socket: nothing to report
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            pump(ctx);
            ctx.fireChannelWritabilityChanged();
        }

        /**
         * Writes up to {@value #BURST} blocks while the socket takes them. A client that reads as fast as
         * this writes would keep one socket writable forever, so a full burst yields and comes back after
         * the loop's next I/O pass; a socket that stops being writable resumes when writability returns.
         */
        private void pump(ChannelHandlerContext ctx) {
            if (frames == null || pumping || !ctx.channel().isActive()) {
                return;
            }
            pumping = true;
            int written = 0;
            for (; written < BURST && ctx.channel().isWritable(); written++) {
                ctx.write(frames.block(ctx.alloc(), next));
                next += CeilingFrames.EVENTS;
            }
            ctx.flush();
            pumping = false;
            if (ctx.channel().isWritable()) {
                // Scheduled, not execute()d: a Netty loop runs tasks queued during its task pass in that same
                // pass, for up to a second (io.netty.eventLoop.maxTaskProcessingQuantumMs), without polling
                // epoll; re-queued bursts kept it there, so sockets waiting to flush starved for up to a second
                // each turn. A scheduled task waits for the next pass, after the loop's I/O.
                ctx.executor().schedule(() -> pump(ctx), 0, TimeUnit.NANOSECONDS);
            }
        }
    }
}
