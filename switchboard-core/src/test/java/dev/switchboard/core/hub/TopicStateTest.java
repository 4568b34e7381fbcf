package dev.switchboard.core.hub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.store.memory.MemoryLogStore;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

/** A topic's live side retires only when nobody subscribes, and takes no subscriber once retired. */
final class TopicStateTest {
    private static final Executor INLINE = Runnable::run;
    private final TopicState state = new TopicState("t", 16, new MemoryLogStore(), INLINE, INLINE);

    @Test
    void aSubscribedTopicIsNotRetiredAndARetiredOneTakesNoSubscriber() {
        long future = System.currentTimeMillis() + 60_000;
        assertThat(state.retireIfIdle(future)).as("not loaded yet: a subscriber may be on its way").isFalse();
        state.load();
        Subscription sub = state.subscribe(new RecordingSession(), 0);

        assertThat(state.retireIfIdle(future)).as("subscribed").isFalse();
        state.unsubscribe(sub);
        assertThat(state.retireIfIdle(System.currentTimeMillis() - 60_000)).as("used within the idle time").isFalse();
        assertThat(state.retireIfIdle(future)).isTrue();
        assertThat(state.subscribe(new RecordingSession(), 0)).as("retired: the hub looks the topic up again").isNull();
        assertThat(state.isRetired()).isTrue();
    }
}
