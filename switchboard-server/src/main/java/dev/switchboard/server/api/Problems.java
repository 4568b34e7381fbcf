package dev.switchboard.server.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonFactory;
import dev.switchboard.core.error.ErrorCode;
import dev.switchboard.core.error.SwitchboardException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Errors on the wire: the one place an {@link ErrorCode} becomes RFC 9457 {@code application/problem+json}. */
public final class Problems {
    public static final String CONTENT_TYPE = "application/problem+json";
    private static final JsonFactory JSON = new JsonFactory();

    private Problems() {}

    public static ByteBuf body(ErrorCode code, String detail) {
        ByteBuf buf = Unpooled.buffer(256);
        try (JsonGenerator g = JSON.createGenerator((java.io.OutputStream) new ByteBufOutputStream(buf))) {
            g.writeStartObject();
            g.writeStringField("type", code.type());
            g.writeStringField("title", code.title());
            g.writeNumberField("status", code.status());
            g.writeStringField("detail", detail);
            g.writeStringField("code", code.slug());
            g.writeBooleanField("retryable", code.retryable());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buf;
    }

    public static ByteBuf body(SwitchboardException e) {
        return body(e.code(), e.detail());
    }
}
