package dev.switchboard.server.pipeline;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.util.ReferenceCountUtil;

/**
 * First handler of an HTTP/2 stream: a request without {@code :method}, {@code :path} or
 * {@code :scheme} is malformed (RFC 9113 §8.3.1), so the stream is reset with PROTOCOL_ERROR instead of
 * being guessed at. Netty's codec checks the rest (duplicates, order, connection-specific fields).
 */
final class Http2RequestCheck extends ChannelInboundHandlerAdapter {
    private boolean checked;
    private boolean refused;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (!checked && msg instanceof Http2HeadersFrame frame) {
            checked = true; // later HEADERS are trailers, without pseudo-header fields
            Http2Headers h = frame.headers();
            boolean connect = HttpMethod.CONNECT.asciiName().contentEquals(h.method());
            if (h.method() == null || !connect && (h.path() == null || h.scheme() == null)) {
                refused = true;
                ReferenceCountUtil.release(msg);
                ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.PROTOCOL_ERROR));
                return;
            }
        }
        ctx.fireChannelRead(msg);
    }
}
