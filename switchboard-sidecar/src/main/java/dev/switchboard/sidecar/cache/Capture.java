package dev.switchboard.sidecar.cache;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * A copy of a storable response taken while it streams to the client, up to a byte limit: past it the
 * copy is dropped ({@link #add} says false) and the response goes on streaming, never buffered whole.
 */
final class Capture {
    private final String key;
    private final int status;
    private final HttpHeaders headers;
    private final CachePolicy.Freshness freshness;
    private final List<String> varyValues;
    private final int limit;
    private final long receivedNanos;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    Capture(String key, HttpResponse head, CachePolicy.Freshness freshness, List<String> varyValues, int limit, long receivedNanos) {
        this.key = key;
        this.status = head.status().code();
        this.headers = head.headers().copy();
        // Framing and age are per response: set again when the entry is served.
        headers.remove(HttpHeaderNames.CONNECTION).remove(HttpHeaderNames.TRANSFER_ENCODING).remove(HttpHeaderNames.CONTENT_LENGTH)
                .remove(HttpHeaderNames.AGE).remove(XCache.HEADER).remove(HttpHeaderNames.KEEP_ALIVE);
        this.freshness = freshness;
        this.varyValues = varyValues;
        this.limit = limit;
        this.receivedNanos = receivedNanos;
    }

    /** Copies {@code content}; false once the body is over the limit (the copy is then useless). */
    boolean add(ByteBuf content) {
        int n = content.readableBytes();
        if (body.size() + (long) n > limit) {
            return false;
        }
        byte[] bytes = new byte[n];
        content.getBytes(content.readerIndex(), bytes);
        body.writeBytes(bytes);
        return true;
    }

    CachedResponse entry() {
        return new CachedResponse(key, status, headers, body.toByteArray(), freshness, varyValues, receivedNanos);
    }
}
