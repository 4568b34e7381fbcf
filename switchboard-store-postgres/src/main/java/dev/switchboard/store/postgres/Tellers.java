package dev.switchboard.store.postgres;

import dev.switchboard.core.message.Message;
import dev.switchboard.core.store.AppendListener;
import dev.switchboard.core.store.Appended;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Tells the {@link AppendListener} of every commit to a topic exactly once and in offset order, whether
 * this node's writer made it or another node did (learnt by NOTIFY). A commit that skips past offsets
 * this node was never told of (another node's, whose NOTIFY has not arrived yet) first reads the
 * missing ones from the store: they are committed, since commits follow offset order.
 */
final class Tellers {
    private static final Logger LOG = Logger.getLogger(Tellers.class.getName());
    private static final int PAGE = 1_000;

    @FunctionalInterface
    interface Reader {
        List<Message> read(String topic, long after, int limit);
    }

    private final Reader reader;
    // Per topic, the highest offset told, or committed before this node started listening (those are
    // the store's to serve, not news); a topic missing here was created since, so starts at 0. Guarded by this.
    private final Map<String, Long> told = new HashMap<>();
    private volatile AppendListener listener = AppendListener.NONE;

    Tellers(Reader reader) {
        this.reader = reader;
    }

    void listen(AppendListener listener) {
        this.listener = listener;
    }

    /** Called once, after LISTEN began and before the first append: every topic's last offset then. */
    synchronized void startFrom(Map<String, Long> lastOffsets) {
        told.putAll(lastOffsets);
    }

    /**
     * Listening started again after a break, in which notifications were lost: tells, from the store,
     * whatever was committed past what was told ({@code lastOffsets}: every topic's last offset, read
     * after LISTEN).
     */
    synchronized void catchUpAll(Map<String, Long> lastOffsets) {
        lastOffsets.forEach((topic, last) -> committedSomewhere(topic, last, last));
    }

    /** Dropped topics are never written again: stop keeping their offsets. */
    synchronized void forget(List<String> topics) {
        topics.forEach(told::remove);
    }

    /** This node's writer committed {@code result} (writer thread, before the append completes). */
    synchronized void committedHere(Appended result) {
        long before = told.getOrDefault(result.topic(), 0L);
        if (result.last() <= before) {
            return; // our own NOTIFY came back first and the listener thread told these already
        }
        if (result.first() > before + 1) {
            catchUp(result.topic(), before, result.first() - 1);
        }
        tell(result.topic(), result.messages());
        told.put(result.topic(), result.last());
    }

    /** Some node committed {@code first..last} to {@code topic} (listener thread). */
    synchronized void committedSomewhere(String topic, long first, long last) {
        long before = told.getOrDefault(topic, 0L);
        if (last > before) {
            catchUp(topic, before, last);
        }
    }

    /**
     * Tells {@code after+1..upTo}, read from the store. If the read fails (pool exhausted, database
     * down) what was told stays recorded, so the next commit or NOTIFY on the topic tries again; the
     * failure must not reach the writer, whose appenders wait for their answers.
     */
    private void catchUp(String topic, long after, long upTo) {
        long at = after;
        try {
            while (at < upTo) {
                List<Message> page = reader.read(topic, at, (int) Math.min(PAGE, upTo - at));
                if (page.isEmpty()) {
                    at = upTo; // trimmed already: subscribers that need them catch up from the store
                    break;
                }
                tell(topic, page);
                at = page.getLast().offset();
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not read offsets " + (at + 1) + ".." + upTo + " of '" + topic
                    + "' committed by another node; will retry at the topic's next commit", e);
        }
        told.put(topic, at);
    }

    private void tell(String topic, List<Message> messages) {
        try {
            listener.appended(topic, messages);
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "append listener failed for '" + topic + "' offsets " + messages.getFirst().offset()
                    + ".." + messages.getLast().offset() + "; the messages are stored", e);
        }
    }
}
