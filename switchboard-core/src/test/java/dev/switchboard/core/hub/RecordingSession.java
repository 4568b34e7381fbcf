package dev.switchboard.core.hub;

import dev.switchboard.core.error.CloseReason;
import dev.switchboard.core.message.Message;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/** A session that records what the hub hands it, for tests: no sockets, always writable. */
final class RecordingSession implements Session {
    record Skip(long after, long first) {}

    private final List<Message> delivered = new CopyOnWriteArrayList<>();
    private final List<Skip> skips = new CopyOnWriteArrayList<>();
    private volatile CloseReason closedWith;

    List<Long> offsets() {
        return delivered.stream().map(Message::offset).toList();
    }

    List<Skip> skips() {
        return List.copyOf(skips);
    }

    CloseReason closedWith() {
        return closedWith;
    }

    @Override
    public String transport() {
        return "test";
    }

    @Override
    public void deliver(Subscription subscription, List<Message> messages) {
        delivered.addAll(messages);
    }

    @Override
    public void skipped(Subscription subscription, long after, long first) {
        skips.add(new Skip(after, first));
    }

    @Override
    public CompletionStage<Void> writable() {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public boolean isOpen() {
        return closedWith == null;
    }

    @Override
    public void close(CloseReason reason) {
        closedWith = reason;
    }
}
