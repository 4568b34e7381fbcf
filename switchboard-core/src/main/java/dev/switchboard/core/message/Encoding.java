package dev.switchboard.core.message;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * One wire form of a message (an SSE frame, a WebSocket frame, a JSON object). A message
 * encodes itself once per encoding and every subscriber shares the result, so fan-out to N
 * subscribers costs one encoding, not N.
 *
 * <p>The encoded value is shared between threads without a lock: it must be immutable with
 * final fields (a record of a byte array that is never written after construction).
 */
public final class Encoding<T> {
    static final int MAX = 8;
    private static final AtomicInteger SLOTS = new AtomicInteger();

    final int slot;
    private final Function<Message, T> encoder;

    private Encoding(Function<Message, T> encoder) {
        this.slot = SLOTS.getAndIncrement();
        if (slot >= MAX) {
            throw new IllegalStateException("more than " + MAX + " message encodings registered");
        }
        this.encoder = encoder;
    }

    /** Registers an encoding; call once per wire form, from a static field. */
    public static <T> Encoding<T> of(Function<Message, T> encoder) {
        return new Encoding<>(encoder);
    }

    T encode(Message message) {
        return encoder.apply(message);
    }
}
