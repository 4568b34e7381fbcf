package dev.switchboard.client;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** A group handler that keeps everything it is told and fails the messages {@code failing} picks, for assertions. */
final class GroupRecorder implements GroupHandler {
    final List<GroupMessage> handled = new CopyOnWriteArrayList<>();
    final List<SwitchboardClientException> problems = new CopyOnWriteArrayList<>();
    final List<SwitchboardClientException> reconnects = new CopyOnWriteArrayList<>();
    final List<Throwable> ends = new CopyOnWriteArrayList<>();
    private final Predicate<GroupMessage> failing;
    volatile boolean ended;

    GroupRecorder() {
        this(m -> false);
    }

    GroupRecorder(Predicate<GroupMessage> failing) {
        this.failing = failing;
    }

    @Override
    public void handle(GroupMessage message) {
        handled.add(message);
        if (failing.test(message)) {
            throw new IllegalStateException("cannot handle offset " + message.offset() + " yet");
        }
    }

    @Override
    public void onProblem(SwitchboardClientException problem) {
        problems.add(problem);
    }

    @Override
    public void onReconnecting(SwitchboardClientException cause, Duration delay) {
        reconnects.add(cause);
    }

    @Override
    public void onEnd(Throwable cause) {
        if (cause != null) {
            ends.add(cause);
        }
        ended = true;
    }

    List<Long> offsets() {
        return handled.stream().map(GroupMessage::offset).toList();
    }
}
