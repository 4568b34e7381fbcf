package dev.switchboard.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A listener that keeps everything it is told, for assertions. */
final class Recorder implements SubscriptionListener {
    final List<Message> messages = new CopyOnWriteArrayList<>();
    final List<Gap> gaps = new CopyOnWriteArrayList<>();
    final List<SwitchboardClientException> reconnects = new CopyOnWriteArrayList<>();
    final List<SwitchboardClientException> cannotResume = new CopyOnWriteArrayList<>();
    final List<Throwable> ends = new CopyOnWriteArrayList<>();
    volatile boolean ended;

    @Override
    public void onMessage(Message message) {
        messages.add(message);
    }

    @Override
    public void onGap(Gap gap) {
        gaps.add(gap);
    }

    @Override
    public void onReconnecting(SwitchboardClientException cause, Duration delay) {
        reconnects.add(cause);
    }

    @Override
    public void onCannotResume(SwitchboardClientException problem) {
        cannotResume.add(problem);
    }

    @Override
    public void onEnd(Throwable cause) {
        if (cause != null) {
            ends.add(cause);
        }
        ended = true;
    }

    List<Long> offsets() {
        List<Long> offsets = new ArrayList<>();
        messages.forEach(m -> offsets.add(m.offset()));
        return offsets;
    }

    List<String> texts() {
        List<String> texts = new ArrayList<>();
        messages.forEach(m -> texts.add(m.text()));
        return texts;
    }
}
