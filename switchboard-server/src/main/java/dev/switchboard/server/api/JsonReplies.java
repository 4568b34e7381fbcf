package dev.switchboard.server.api;

import com.fasterxml.jackson.core.JsonGenerator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Answers of the topic endpoints: JSON bodies, and problems, that all carry {@code Switchboard-Epoch}
 * so a client always learns which store its offsets belong to — errors included, since a 409
 * cannot-resume is exactly when it needs to know.
 */
public final class JsonReplies {
    public static final String EPOCH_HEADER = "Switchboard-Epoch";

    private JsonReplies() {}

    /** Writes one JSON document with a generator. */
    @FunctionalInterface
    public interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    /** Writes one JSON document about a value. */
    @FunctionalInterface
    public interface BodyOf<T> {
        void write(JsonGenerator g, T value) throws IOException;
    }

    public static ByteBuf json(Body body) {
        ByteBuf buf = Unpooled.buffer(128);
        try (JsonGenerator g = MessageJson.JSON.createGenerator((OutputStream) new ByteBufOutputStream(buf))) {
            body.write(g);
        } catch (IOException e) {
            buf.release();
            throw new UncheckedIOException(e);
        }
        return buf;
    }

    public static FullHttpResponse ok(HttpResponseStatus status, ByteBuf body, String epoch) {
        FullHttpResponse r = HttpResponses.json(status, body);
        r.headers().set(EPOCH_HEADER, epoch);
        return r;
    }

    public static void send(ChannelHandlerContext ctx, boolean keepAlive, HttpResponseStatus status, ByteBuf body, String epoch) {
        HttpResponses.send(ctx, keepAlive, ok(status, body, epoch));
    }

    public static void problem(ChannelHandlerContext ctx, boolean keepAlive, Throwable error, String epoch) {
        HttpResponses.problem(ctx, keepAlive, error, epochHeader(epoch));
    }

    private static HttpHeaders epochHeader(String epoch) {
        return new DefaultHttpHeaders().set(EPOCH_HEADER, epoch);
    }
}
