package dev.switchboard.bench.wire;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One kept-alive HTTP/1.1 connection that sends a request, waits for its answer and asks its
 * {@link Conversation} for the next one, all on the connection's event loop. A client that answers in
 * the I/O thread costs the machine no thread hand-off per request; the JDK HttpClient's several
 * (selector, executor, caller) made a 64-caller job bench spend more CPU than the server it measured.
 */
public final class RequestChain extends SimpleChannelInboundHandler<FullHttpResponse> {
    private static final int MAX_ANSWER = 1 << 20;

    /** What a client says next. Its methods run on the event loop: they must not block. */
    public interface Conversation {
        /** Nanoseconds to wait before the next request; asked again after each wait. 0 or less: send it now. */
        default long waitNanos() {
            return 0;
        }

        /** The next request, built as it is sent (a timestamp in it is the send time; the connection adds {@code Host}); null ends the conversation. */
        FullHttpRequest request();

        /** Reads the answer to the last request; false ends the conversation (the connection then closes). */
        boolean answered(FullHttpResponse answer) throws Exception;
    }

    private final Conversation conversation;
    private final Consumer<Throwable> failed;
    private final String host;
    private boolean ended;

    private RequestChain(Conversation conversation, Consumer<Throwable> failed, String host) {
        this.conversation = conversation;
        this.failed = failed;
        this.host = host;
    }

    /**
     * Connects to {@code server} and runs {@code conversation} there until it ends or the connection fails.
     *
     * @param failed told of a failed connection or a conversation that threw (the connection closes)
     * @return the connection's close future: it completes when the conversation is over
     */
    public static ChannelFuture start(ClientLoop loop, URI server, Conversation conversation, Consumer<Throwable> failed) {
        ChannelFuture connected = loop.connect(server, ch -> ch.pipeline()
                .addLast(new HttpClientCodec(), new HttpObjectAggregator(MAX_ANSWER), new RequestChain(conversation, failed, server.getAuthority())));
        Channel channel = connected.channel();
        connected.addListener(f -> {
            if (!f.isSuccess()) {
                failed.accept(f.cause());
            }
        });
        return channel.closeFuture();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        send(ctx);
        ctx.fireChannelActive();
    }

    private void send(ChannelHandlerContext ctx) {
        if (ended) {
            return;
        }
        long wait = conversation.waitNanos();
        if (wait > 0) {
            ctx.executor().schedule(() -> send(ctx), wait, TimeUnit.NANOSECONDS);
        } else {
            FullHttpRequest request = conversation.request();
            if (request == null) {
                ended = true;
                ctx.close();
            } else {
                request.headers().set(HttpHeaderNames.HOST, host);
                ctx.writeAndFlush(request);
            }
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse answer) throws Exception {
        if (conversation.answered(answer)) {
            send(ctx);
        } else {
            ended = true;
            ctx.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!ended) {
            ended = true;
            failed.accept(new IllegalStateException("the server closed a connection in mid-conversation"));
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!ended) {
            ended = true;
            failed.accept(cause);
        }
        ctx.close();
    }
}
