package dev.switchboard.sidecar.proxy;

import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import java.util.List;

/**
 * The request-smuggling defences beyond the decoder's: one framing the proxy and the upstream cannot read
 * differently. Each refusal names what was wrong; the caller answers 400 and closes the connection.
 */
final class RequestChecks {
    private RequestChecks() {}

    /** Null when {@code request} may be forwarded; else why not. */
    static String problem(HttpRequest request) {
        DecoderResult decoded = request.decoderResult();
        if (decoded.isFailure()) {
            Throwable c = decoded.cause();
            return "malformed request: " + (c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage());
        }
        List<String> te = request.headers().getAll(HttpHeaderNames.TRANSFER_ENCODING);
        if (!te.isEmpty() && (te.size() != 1 || !te.getFirst().trim().equalsIgnoreCase("chunked"))) {
            // "chunked, identity", "xchunked", two headers…: each hop may see a different framing.
            return "unsupported Transfer-Encoding " + te + ": only a single 'chunked' is accepted";
        }
        if (!te.isEmpty() && request.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
            return "the request has both Content-Length and Transfer-Encoding";
        }
        return null;
    }
}
