package dev.switchboard.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.store.Appended;
import dev.switchboard.core.store.Durability;
import dev.switchboard.microbench.SampleMessages;
import java.io.IOException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class GroupCommitBenchmarkTest {
    @ParameterizedTest
    @EnumSource(Durability.class)
    void eachOperationIsOneCommittedPublishAndTearDownRemovesTheStore(Durability durability) throws IOException {
        GroupCommitBenchmark bench = new GroupCommitBenchmark();
        bench.durability = durability;
        bench.open();
        assertThat(bench.oneAppender().first()).isEqualTo(1);
        Appended second = bench.sixteenAppenders();
        assertThat(second.first()).isEqualTo(2);
        assertThat(second.messages().getFirst().payload()).isEqualTo(SampleMessages.PAYLOAD);
        bench.close();
        assertThat(bench.dir).doesNotExist();
    }
}
