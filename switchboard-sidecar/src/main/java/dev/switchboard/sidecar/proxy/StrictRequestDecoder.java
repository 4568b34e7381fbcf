package dev.switchboard.sidecar.proxy;

import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequestDecoder;

/**
 * Netty's request decoder, strict where a proxy must be (RFC 9112 §6.1, §6.3, §5.2): bare LF line ends
 * refused, differing duplicate {@code Content-Length} refused, header names validated, and — unlike
 * Netty's default, which drops {@code Content-Length} and trusts {@code Transfer-Encoding} — a request
 * carrying both refused, because the hop in front of us may have read it the other way. What the
 * decoder refuses arrives as a request whose decoder result failed; {@link RequestChecks} answers it.
 */
final class StrictRequestDecoder extends HttpRequestDecoder {
    StrictRequestDecoder(int maxHeaderBytes) {
        super(new HttpDecoderConfig()
                .setMaxInitialLineLength(Math.min(maxHeaderBytes, 8192))
                .setMaxHeaderSize(maxHeaderBytes)
                .setMaxChunkSize(64 * 1024)
                .setValidateHeaders(true)
                .setAllowDuplicateContentLengths(false)
                .setStrictLineParsing(true));
    }

    @Override
    protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
        throw new IllegalArgumentException("the request has both Content-Length and Transfer-Encoding");
    }
}
