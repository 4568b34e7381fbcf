package dev.switchboard.bench.wire;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The bench's Netty client side: one event-loop group for every connection of a run (epoll when
 * available), each connection counted by one shared {@link WireCounter}. A small Netty client rather
 * than the JDK's HttpClient: at 10,000 connections and 10⁶ deliveries/s the JDK client's per-message
 * objects and threads would be what is measured.
 */
public final class ClientLoop implements AutoCloseable {
    private final EventLoopGroup group;
    private final Class<? extends Channel> channelType;
    private final int receiveBuffer;
    private final WireCounter counter = new WireCounter();

    /** @param threads event loops; the load generator shares the machine's cores with the server */
    public ClientLoop(int threads) {
        this(threads, 0);
    }

    /**
     * @param receiveBuffer each socket's kernel receive buffer in bytes ({@code SO_RCVBUF}), or 0 for the
     *        kernel's autotuning (see {@link SocketBuffers})
     */
    public ClientLoop(int threads, int receiveBuffer) {
        this.receiveBuffer = receiveBuffer;
        boolean epoll = Epoll.isAvailable();
        this.group = new MultiThreadIoEventLoopGroup(threads, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        this.channelType = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    public WireCounter counter() {
        return counter;
    }

    /** Connects to {@code uri}'s host and port; {@code pipeline} adds the protocol handlers after the counter. */
    public ChannelFuture connect(URI uri, Consumer<Channel> pipeline) {
        Bootstrap b = new Bootstrap().group(group).channel(channelType).option(ChannelOption.TCP_NODELAY, true);
        if (receiveBuffer > 0) {
            b.option(ChannelOption.SO_RCVBUF, receiveBuffer);
        }
        return b.handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(counter);
                        pipeline.accept(ch);
                    }
                })
                .connect(uri.getHost(), uri.getPort() < 0 ? 80 : uri.getPort());
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
