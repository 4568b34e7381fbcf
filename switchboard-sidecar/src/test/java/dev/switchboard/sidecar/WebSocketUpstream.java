package dev.switchboard.sidecar;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/**
 * An app that speaks WebSocket on {@code /ws} (Netty's server handshake): echoes text frames, answers
 * {@code close-me} with a close frame of its own (4000), and records the handshake headers and the close
 * frame a client sends. Any other path is a 404.
 */
final class WebSocketUpstream implements AutoCloseable {
    final CompletableFuture<HttpHeaders> handshake = new CompletableFuture<>();
    final CompletableFuture<Integer> clientClose = new CompletableFuture<>();
    final CompletableFuture<Void> socketClosed = new CompletableFuture<>();
    /** Bytes of {@code flood} frames the socket took so far. */
    final java.util.concurrent.atomic.AtomicLong flooded = new java.util.concurrent.atomic.AtomicLong();
    static final long FLOOD_BYTES = 128L << 20;
    private final EventLoopGroup loops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;

    WebSocketUpstream() throws InterruptedException {
        server = new ServerBootstrap().group(loops).channel(NioServerSocketChannel.class).childHandler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.closeFuture().addListener(f -> socketClosed.complete(null));
                ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20),
                        new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder().websocketPath("/ws")
                                .handleCloseFrames(false).maxFramePayloadLength(1 << 20).build()),
                        new Frames());
            }
        }).bind("127.0.0.1", 0).sync().channel();
    }

    String url() {
        return "http://127.0.0.1:" + ((InetSocketAddress) server.localAddress()).getPort();
    }

    private final class Frames extends SimpleChannelInboundHandler<Object> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof FullHttpRequest) {
                var notFound = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_FOUND,
                        Unpooled.copiedBuffer("no websocket here", java.nio.charset.StandardCharsets.UTF_8));
                notFound.headers().setInt("content-length", notFound.content().readableBytes());
                ctx.writeAndFlush(notFound).addListener(ChannelFutureListener.CLOSE);
            } else if (msg instanceof CloseWebSocketFrame close) {
                clientClose.complete(close.statusCode());
                ctx.writeAndFlush(new CloseWebSocketFrame(close.statusCode(), close.reasonText())).addListener(ChannelFutureListener.CLOSE);
            } else if (msg instanceof TextWebSocketFrame text && text.text().equals("flood")) {
                flood(ctx);
            } else if (msg instanceof TextWebSocketFrame text && text.text().equals("close-me")) {
                ctx.writeAndFlush(new CloseWebSocketFrame(4000, "server says bye")).addListener(ChannelFutureListener.CLOSE);
            } else if (msg instanceof WebSocketFrame frame) {
                ctx.writeAndFlush(frame.retain()); // an echo, continuation frames included
            }
        }

        /** Writes 64 KiB frames while the socket takes them, up to {@link #FLOOD_BYTES}: a writer that respects backpressure. */
        private void flood(ChannelHandlerContext ctx) {
            while (ctx.channel().isWritable() && flooded.get() < FLOOD_BYTES) {
                ctx.writeAndFlush(new io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[64 * 1024])));
                flooded.addAndGet(64 * 1024);
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable() && flooded.get() > 0) {
                flood(ctx);
            }
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete done) {
                handshake.complete(done.requestHeaders());
            }
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        loops.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
