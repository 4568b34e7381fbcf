package dev.switchboard.sidecar.proxy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.switchboard.server.api.HttpResponses;
import dev.switchboard.server.api.Problems;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * The proxy's own errors as problem+json, in the server's shape ({@code type}, {@code title},
 * {@code status}, {@code detail}, {@code code}, {@code retryable}). Core's {@code ErrorCode} has no
 * gateway codes yet, so they are listed here; moving them there is noted in docs/sidecar.md.
 */
enum UpstreamProblems {
    BAD_REQUEST(400, "bad-request", "Bad request", false),
    UPSTREAM_UNAVAILABLE(502, "upstream-unavailable", "Upstream unavailable", true),
    UPSTREAM_BUSY(503, "upstream-busy", "Upstream connections exhausted", true),
    UPSTREAM_TIMEOUT(504, "upstream-timeout", "Upstream timeout", true);

    private static final JsonFactory JSON = new JsonFactory();

    private final int status;
    private final String slug;
    private final String title;
    private final boolean retryable;

    UpstreamProblems(int status, String slug, String title, boolean retryable) {
        this.status = status;
        this.slug = slug;
        this.title = title;
        this.retryable = retryable;
    }

    static UpstreamProblems of(UpstreamException e) {
        return switch (e.kind()) {
            case DOWN -> UPSTREAM_UNAVAILABLE;
            case BUSY -> UPSTREAM_BUSY;
            case TIMEOUT -> UPSTREAM_TIMEOUT;
        };
    }

    int status() {
        return status;
    }

    String slug() {
        return slug;
    }

    FullHttpResponse response(String detail) {
        ByteBuf buf = Unpooled.buffer(256);
        try (JsonGenerator g = JSON.createGenerator((OutputStream) new ByteBufOutputStream(buf))) {
            g.writeStartObject();
            g.writeStringField("type", "urn:switchboard:problem:" + slug);
            g.writeStringField("title", title);
            g.writeNumberField("status", status);
            g.writeStringField("detail", detail);
            g.writeStringField("code", slug);
            g.writeBooleanField("retryable", retryable);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        FullHttpResponse r = HttpResponses.response(HttpResponseStatus.valueOf(status), Problems.CONTENT_TYPE, buf);
        if (status == 503) {
            r.headers().set(HttpHeaderNames.RETRY_AFTER, "1");
        }
        return r;
    }
}
