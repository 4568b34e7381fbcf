package dev.switchboard.store.sqlite;

import dev.switchboard.store.sqlite.WriteConnection.TopicRow;

/**
 * A topic's row as the writer knows it: its id, the highest offset given (the running batch's included)
 * and the last offset its row holds. Mutable and writer thread only, so that an append costs one lookup:
 * a batch moves {@code last}, its commit brings {@code stored} level, and a failed batch forgets every
 * known topic.
 */
final class KnownTopic {
    final long id;
    long last;
    long stored;
    long batch; // the number of the last batch that gave it offsets

    KnownTopic(long id, long last, long stored) {
        this.id = id;
        this.last = last;
        this.stored = stored;
    }

    TopicRow row() {
        return new TopicRow(id, last);
    }
}
