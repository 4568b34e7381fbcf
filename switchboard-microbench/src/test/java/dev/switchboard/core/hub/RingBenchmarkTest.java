package dev.switchboard.core.hub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.config.Setting;
import dev.switchboard.core.message.Message;
import org.junit.jupiter.api.Test;

class RingBenchmarkTest {
    private final int size = Integer.parseInt(Setting.RING_SIZE.defaultValue());
    private final RingBenchmark bench = new RingBenchmark();
    private final RingBenchmark.FullRing full = new RingBenchmark.FullRing();

    @Test
    void ringStartsFullAtTheDefaultSizeAndAddingKeepsItFull() {
        full.fill();
        assertThat(full.ring.first()).isEqualTo(1);
        assertThat(full.ring.last()).isEqualTo(size);
        bench.add(full);
        assertThat(full.ring.first()).isEqualTo(2);
        assertThat(full.ring.last()).isEqualTo(size + 1);
    }

    @Test
    void afterCopiesOutTheNewestMessagesOfTheWindow() {
        full.fill();
        RingBenchmark.Window window = new RingBenchmark.Window();
        window.messages = 100;
        assertThat(bench.after(full, window)).hasSize(100).extracting(Message::offset)
                .startsWith((long) size - 99).endsWith((long) size);
    }
}
