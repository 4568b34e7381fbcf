package dev.switchboard.core.hub;

import dev.switchboard.core.message.Message;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The most recent messages of one topic, by offset, so live subscribers are fed from memory. Not
 * thread-safe: its {@link TopicState} guards it.
 */
final class Ring {
    private final Message[] slots;
    private final int mask;
    private long first = 1; // oldest offset held
    private long last;      // newest offset held; first > last when empty

    Ring(int capacity) {
        int size = Integer.highestOneBit(Math.max(2, capacity - 1)) << 1;
        slots = new Message[size];
        mask = size - 1;
    }

    /** Empties the ring so that the next message it holds is {@code nextOffset}. */
    void resetTo(long nextOffset) {
        java.util.Arrays.fill(slots, null);
        first = nextOffset;
        last = nextOffset - 1;
    }

    void add(Message m) {
        if (m.offset() != last + 1) {
            // A gap (messages this node did not see): keep only what follows it; readers behind it catch up from the store.
            resetTo(m.offset());
        }
        slots[(int) (m.offset() & mask)] = m;
        last = m.offset();
        if (last - first + 1 > slots.length) {
            first = last - slots.length + 1;
        }
    }

    /** Forgets messages before {@code offset}: retention removed them from the store. */
    void dropBefore(long offset) {
        while (first < offset && first <= last) {
            slots[(int) (first & mask)] = null;
            first++;
        }
    }

    long first() {
        return first;
    }

    long last() {
        return last;
    }

    /** True when every message after {@code after} is in the ring. */
    boolean covers(long after) {
        return after >= first - 1;
    }

    /** Messages with offsets {@code after+1 .. min(last, after+limit)}; requires {@link #covers(long)}. */
    List<Message> after(long after, int limit) {
        long from = Math.max(after + 1, first);
        long to = Math.min(last, from + limit - 1);
        if (to < from) {
            return List.of();
        }
        Message[] out = new Message[(int) (to - from + 1)];
        for (long o = from; o <= to; o++) {
            out[(int) (o - from)] = slots[(int) (o & mask)];
        }
        return Collections.unmodifiableList(Arrays.asList(out)); // List.of would copy the array once more
    }
}
