package dev.switchboard.core.message;

import java.util.Map;

/** One entry of a topic's log: immutable once the store assigned its offset. */
public final class Message {
    private final String topic;
    private final long offset;
    private final long timeMillis;
    private final String contentType;
    private final byte[] payload;
    private final Map<String, String> headers;
    // Racy cache of wire forms: computing one twice is harmless, and each value is immutable.
    private final Object[] encoded = new Object[Encoding.MAX];

    public Message(String topic, long offset, long timeMillis, String contentType, byte[] payload,
                   Map<String, String> headers) {
        this.topic = topic;
        this.offset = offset;
        this.timeMillis = timeMillis;
        this.contentType = contentType;
        this.payload = payload;
        this.headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    public String topic() {
        return topic;
    }

    public long offset() {
        return offset;
    }

    public long timeMillis() {
        return timeMillis;
    }

    public String contentType() {
        return contentType;
    }

    /** The payload bytes; callers must not modify the array. */
    public byte[] payload() {
        return payload;
    }

    public Map<String, String> headers() {
        return headers;
    }

    @SuppressWarnings("unchecked")
    public <T> T encoded(Encoding<T> encoding) {
        Object value = encoded[encoding.slot];
        if (value == null) {
            value = encoding.encode(this);
            encoded[encoding.slot] = value;
        }
        return (T) value;
    }

    @Override
    public String toString() {
        return "Message[" + topic + "@" + offset + ", " + payload.length + " bytes " + contentType + "]";
    }
}
