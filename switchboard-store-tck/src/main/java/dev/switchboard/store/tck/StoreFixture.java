package dev.switchboard.store.tck;

import dev.switchboard.core.message.Message;
import dev.switchboard.core.message.MessageDraft;
import dev.switchboard.core.store.AppendRequest;
import dev.switchboard.core.store.Appended;
import dev.switchboard.core.store.Durability;
import dev.switchboard.core.store.LogStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the contract suites share: a store opened in a temporary directory before each test, a clock
 * the test moves, restarts, and small helpers to append and read.
 */
public abstract class StoreFixture {
    /** Long enough for a loaded machine; a store that needs it is broken anyway. */
    protected static final Duration PATIENCE = Duration.ofSeconds(30);
    protected static final Duration KEY_TTL = Duration.ofMinutes(10);

    @TempDir
    protected Path dir;
    protected final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    protected LogStore store;
    private final List<LogStore> opened = new ArrayList<>();

    /**
     * Opens the store kept in {@code dir}, creating it when the directory is empty. Keys are remembered
     * for {@code idempotencyTtl} as measured by {@code clock}, which also stamps message times.
     */
    protected abstract LogStore open(Path dir, MutableClock clock, Duration idempotencyTtl);

    /** False for a store that keeps nothing across a restart. */
    protected boolean durable() {
        return true;
    }

    @BeforeEach
    final void openStore() {
        store = track(open(dir, clock, KEY_TTL));
    }

    @AfterEach
    final void closeStores() {
        Collections.reverse(opened);
        opened.forEach(LogStore::close);
    }

    /** Closes the current store and opens the same directory again. */
    protected final void restart() {
        store.close();
        store = track(open(dir, clock, KEY_TTL));
    }

    protected final LogStore track(LogStore opened) {
        this.opened.add(opened);
        return opened;
    }

    protected final Appended append(String topic, int count) {
        return await(store.append(request(topic, drafts(Integer.toString(count), count), Durability.SYNC, null)));
    }

    protected static AppendRequest request(String topic, List<MessageDraft> drafts, Durability durability, String key) {
        return new AppendRequest(topic, drafts, durability, key);
    }

    /** {@code count} text drafts with payloads {@code label:0}, {@code label:1}, … */
    protected static List<MessageDraft> drafts(String label, int count) {
        return IntStream.range(0, count)
                .mapToObj(i -> MessageDraft.of("text/plain", (label + ":" + i).getBytes(StandardCharsets.UTF_8)))
                .toList();
    }

    protected static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("store did not answer: " + e, e);
        }
    }

    protected static List<Long> offsets(List<Message> messages) {
        return messages.stream().map(Message::offset).toList();
    }

    protected static String text(byte[] payload) {
        return new String(payload, StandardCharsets.UTF_8);
    }

}
