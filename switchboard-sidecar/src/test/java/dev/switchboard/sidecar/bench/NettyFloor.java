package dev.switchboard.sidecar.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpServerCodec;
import java.net.InetSocketAddress;

/**
 * The floor under the sidecar in {@code bench/sidecar.sh}: the least an HTTP/1.1 reverse proxy on the JVM and
 * Netty does, on the sidecar's transport (epoll, one loop per core). Each client connection gets its own upstream
 * connection on its loop, and Netty's codecs decode every request and response into HTTP objects and encode them
 * again, with nothing in between: no pool, headers, tracing, cache, metrics or log. The sidecar's latency above
 * this target is its own per-request work; this target's above nginx's is the JVM's and Netty's.
 * Not a proxy to use: no limits, no error handling. Run as a single-file program with Netty on the class path:
 * {@code java -cp 'lib/*' NettyFloor.java PORT UPSTREAM_PORT}.
 */
public final class NettyFloor {
    public static void main(String[] args) throws InterruptedException {
        int port = Integer.parseInt(args[0]);
        int upstreamPort = Integer.parseInt(args[1]);
        EventLoopGroup loops = new MultiThreadIoEventLoopGroup(Runtime.getRuntime().availableProcessors(), EpollIoHandler.newFactory());
        new ServerBootstrap().group(loops).channel(EpollServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.AUTO_READ, false) // until its upstream connection is open
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel client) {
                        new Bootstrap().group(client.eventLoop()).channel(EpollSocketChannel.class)
                                .option(ChannelOption.TCP_NODELAY, true)
                                .handler(new ChannelInitializer<SocketChannel>() {
                                    @Override
                                    protected void initChannel(SocketChannel upstream) {
                                        upstream.pipeline().addLast(new HttpClientCodec(), new Forward(client));
                                    }
                                })
                                .connect(new InetSocketAddress("127.0.0.1", upstreamPort))
                                .addListener((ChannelFuture connected) -> {
                                    if (!connected.isSuccess()) {
                                        client.close();
                                        return;
                                    }
                                    client.pipeline().addLast(new HttpServerCodec(), new Forward(connected.channel()));
                                    client.config().setAutoRead(true);
                                });
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", port)).sync().channel().closeFuture().sync();
    }

    /** Writes what one side decoded to the other side's encoder, flushing once per read. */
    private static final class Forward extends ChannelInboundHandlerAdapter {
        private final Channel to;

        Forward(Channel to) {
            this.to = to;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            to.write(msg, to.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            to.flush();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            to.close();
        }
    }
}
