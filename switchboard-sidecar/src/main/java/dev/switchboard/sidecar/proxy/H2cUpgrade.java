package dev.switchboard.sidecar.proxy;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http2.Http2CodecUtil;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Cleartext HTTP/2 by {@code Upgrade: h2c} (RFC 7540 §3.2, which RFC 9113 keeps for clients that still send
 * it, the JDK's among them): Netty's upgrade handler, on a connection's first request only, and only when it
 * passed the smuggling checks and carries no body. It answers 101, the HTTP/1.1 handlers leave ({@code removeHttp1}), and the request
 * becomes stream 1 of the HTTP/2 connection. Any other request passes through untouched.
 */
final class H2cUpgrade extends HttpServerUpgradeHandler {
    H2cUpgrade(Consumer<ChannelPipeline> removeHttp1, Supplier<UpgradeCodec> http2) {
        super(ctx -> removeHttp1.accept(ctx.pipeline()),
                protocol -> Http2CodecUtil.HTTP_UPGRADE_PROTOCOL_NAME.toString().contentEquals(protocol) ? http2.get() : null,
                0, // no body: the upgrade is for a request without one
                DefaultHttpHeadersFactory.headersFactory(), DefaultHttpHeadersFactory.trailersFactory(),
                // Only a connection's first request may upgrade. Leaving then also matters for backpressure:
                // while in the pipeline, this decoder asks for more bytes whenever a read passed through it.
                true);
    }

    @Override
    protected boolean shouldHandleUpgradeRequest(HttpRequest r) {
        return r.decoderResult().isSuccess() && RequestChecks.problem(r) == null && !HttpUtil.isTransferEncodingChunked(r)
                && HttpUtil.getContentLength(r, 0L) == 0
                && r.headers().containsValue(HttpHeaderNames.UPGRADE, Http2CodecUtil.HTTP_UPGRADE_PROTOCOL_NAME, true);
    }
}
