package dev.switchboard.client.internal;

import dev.switchboard.client.Gap;
import dev.switchboard.client.Message;

/** What a transport reader hands its events to; the subscription's one thread calls it. Not API. */
public interface Sink {
    /** The offset to resume after; null while the start is "the current end" and not yet known. */
    Long after();

    /** The store epoch the position belongs to; null until the server said. */
    String epoch();

    /** The server accepted this connection; its data has this epoch (null if it did not say). */
    void connected(String epoch);

    /** The server says delivery starts after {@code next} (learned when the start was "the current end"). */
    void position(long next);

    void message(Message message);

    void gap(Gap gap);

    /** Something arrived on the stream (a line, a frame, a ping): it is alive. Any thread may call it. */
    void alive();

    /** How to break the current connection from another thread when the subscription is closed. */
    void onAbort(Runnable abort);
}
