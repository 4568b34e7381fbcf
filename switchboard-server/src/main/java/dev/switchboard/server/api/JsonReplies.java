package dev.switchboard.server.api;

import com.fasterxml.jackson.core.JsonGenerator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
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

    /** One JSON document as a buffer that wraps exactly its bytes. */
    public static ByteBuf json(Body body) {
        return Unpooled.wrappedBuffer(bytes(body));
    }

    /**
     * One JSON document as exactly its bytes, in one allocation: a job (~350 bytes) written into a
     * 128-byte buffer had it reallocated, and job events then copied it out once more.
     */
    public static byte[] bytes(Body body) {
        FlushedBytes out = new FlushedBytes();
        try (JsonGenerator g = MessageJson.JSON.createGenerator(out)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
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
