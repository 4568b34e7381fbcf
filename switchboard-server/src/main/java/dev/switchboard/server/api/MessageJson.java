package dev.switchboard.server.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import dev.switchboard.core.message.Encoding;
import dev.switchboard.core.message.Message;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;

/**
 * How a message looks in JSON, everywhere: {@code "offset"}, {@code "time"} (ISO-8601 UTC), and
 * {@code "data"} — a JSON payload embedded as a JSON value, a text payload as a string, anything
 * else as base64 with {@code "encoding":"base64"}. {@code "content_type"} is given when it is not
 * {@code application/json} or plain UTF-8 text; {@code "headers"} when there are any.
 */
public final class MessageJson {
    /**
     * Jackson's encoding buffers come from one pool for all threads. Its default keeps them per thread,
     * but job calls and their events are encoded on virtual threads that live for one call, so every
     * encoding allocated its 8 KB and 4 KB buffers afresh: more than half of all the bytes the in-process
     * jobs benchmark allocated (a young collection every 30 ms).
     */
    public static final JsonFactory JSON = JsonFactory.builder().recyclerPool(JsonRecyclerPools.newConcurrentDequePool()).build();
    public static final String TEXT = "text/plain; charset=utf-8";

    /** {@code {"offset":..,"time":..,"data":..}}, encoded once per message and spliced into read responses. */
    public static final Encoding<Bytes> ITEM = Encoding.of(m -> new Bytes(write(m, null)));

    private MessageJson() {}

    /** An immutable encoded form, safe to share between threads. */
    public record Bytes(byte[] bytes) {}

    public static boolean isJson(String contentType) {
        String base = baseType(contentType);
        return base.equals("application/json") || base.endsWith("+json");
    }

    public static boolean isText(String contentType) {
        return baseType(contentType).startsWith("text/");
    }

    public static String baseType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    /** One message as a JSON object; {@code type} and {@code topic} lead when {@code type} is given (WebSocket frames). */
    public static byte[] write(Message m, String type) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(96 + m.payload().length);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            if (type != null) {
                g.writeStringField("type", type);
                g.writeStringField("topic", m.topic());
            }
            writeFields(g, m);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * A payload as {@code dataField}: JSON embedded as a JSON value, text as a string, anything else as
     * base64 with {@code encodingField: "base64"}; {@code typeField} names the content type when it is
     * not plain JSON or UTF-8 text. Messages use {@code data}/{@code content_type}/{@code encoding}.
     */
    public static void writeBody(JsonGenerator g, String dataField, String typeField, String encodingField, String ct, byte[] bytes)
            throws IOException {
        if (isJson(ct)) {
            g.writeFieldName(dataField);
            g.writeRawValue(new String(bytes, StandardCharsets.UTF_8));
            if (!baseType(ct).equals("application/json")) {
                g.writeStringField(typeField, ct);
            }
        } else if (isText(ct)) {
            g.writeStringField(dataField, new String(bytes, StandardCharsets.UTF_8));
            if (!ct.equals(TEXT)) {
                g.writeStringField(typeField, ct);
            }
        } else {
            g.writeStringField(dataField, Base64.getEncoder().encodeToString(bytes));
            g.writeStringField(encodingField, "base64");
            g.writeStringField(typeField, ct);
        }
    }

    /** The fields of one message, into an object the caller opened. */
    public static void writeFields(JsonGenerator g, Message m) throws IOException {
        g.writeNumberField("offset", m.offset());
        g.writeStringField("time", Instant.ofEpochMilli(m.timeMillis()).toString());
        writeBody(g, "data", "content_type", "encoding", m.contentType(), m.payload());
        if (!m.headers().isEmpty()) {
            g.writeObjectFieldStart("headers");
            for (Map.Entry<String, String> h : m.headers().entrySet()) {
                g.writeStringField(h.getKey(), h.getValue());
            }
            g.writeEndObject();
        }
    }
}
