package dev.switchboard.sidecar.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http2.Http2CodecUtil;
import java.util.List;
import java.util.function.Consumer;

/**
 * Cleartext HTTP/2 with prior knowledge (RFC 9113 §3.3): looks at a connection's first bytes once. The
 * client preface switches the pipeline to HTTP/2 ({@code toHttp2}); anything else leaves HTTP/1.1 in place.
 * Either way it then leaves the pipeline, and the bytes it read go on to what follows.
 */
final class H2cPriorKnowledge extends ByteToMessageDecoder {
    private static final ByteBuf PREFACE = Http2CodecUtil.connectionPrefaceBuf();

    private final Consumer<ChannelHandlerContext> toHttp2;

    H2cPriorKnowledge(Consumer<ChannelHandlerContext> toHttp2) {
        this.toHttp2 = toHttp2;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int n = Math.min(in.readableBytes(), PREFACE.readableBytes());
        if (!ByteBufUtil.equals(PREFACE, PREFACE.readerIndex(), in, in.readerIndex(), n)) {
            ctx.pipeline().remove(this); // HTTP/1.1
        } else if (n == PREFACE.readableBytes()) {
            toHttp2.accept(ctx);
            ctx.pipeline().remove(this); // the preface goes on to the HTTP/2 codec, which expects it
        }
        // else: a prefix of the preface so far; wait for more
    }
}
