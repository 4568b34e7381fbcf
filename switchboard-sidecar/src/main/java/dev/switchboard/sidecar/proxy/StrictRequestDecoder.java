package dev.switchboard.sidecar.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.List;

/**
 * Netty's request decoder, strict where a proxy must be (RFC 9112 §2.2, §5.2, §6.1, §6.3): bare LF line
 * ends refused, differing duplicate {@code Content-Length} refused, header names validated, and two
 * things Netty accepts refused as well:
 *
 * <ul>
 *   <li>a request with both {@code Content-Length} and {@code Transfer-Encoding} (Netty drops the length
 *       and trusts the encoding; the hop in front of us may have read it the other way);
 *   <li>obs-fold, a header line continued on the next line by leading whitespace (Netty joins the lines;
 *       others read the continuation as a header of its own, e.g. a hidden {@code Transfer-Encoding}).
 *       Netty's parser is private, so the bytes it consumes while reading a head are scanned here.
 * </ul>
 *
 * What is refused arrives as a request whose decoder result failed; {@link RequestChecks} answers it.
 */
final class StrictRequestDecoder extends HttpRequestDecoder {
    private boolean inHead = true; // between the end of a message and the end of the next one's headers
    private boolean folded;
    private byte previous = '\n';

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
    protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
        int from = buffer.readerIndex();
        int first = out.size();
        super.decode(ctx, buffer, out);
        if (inHead) {
            // The decoder returns right after a head, so these bytes are head bytes only.
            for (int i = from, to = buffer.readerIndex(); i < to; i++) {
                byte b = buffer.getByte(i);
                if (previous == '\n' && (b == ' ' || b == '\t')) {
                    folded = true;
                }
                previous = b;
            }
        }
        for (int i = first; i < out.size(); i++) {
            Object msg = out.get(i);
            if (msg instanceof HttpRequest request) {
                if (folded && request.decoderResult().isSuccess()) {
                    request.setDecoderResult(DecoderResult.failure(new IllegalArgumentException(
                            "a header line is folded (obs-fold: a line starting with whitespace)")));
                }
                inHead = false;
                folded = false;
            }
            if (msg instanceof LastHttpContent) {
                inHead = true;
                previous = '\n';
            }
        }
    }

    @Override
    protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
        throw new IllegalArgumentException("the request has both Content-Length and Transfer-Encoding");
    }
}
