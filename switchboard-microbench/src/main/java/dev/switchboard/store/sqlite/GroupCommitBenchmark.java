package dev.switchboard.store.sqlite;

import dev.switchboard.core.message.MessageDraft;
import dev.switchboard.core.store.AppendRequest;
import dev.switchboard.core.store.Appended;
import dev.switchboard.core.store.Durability;
import dev.switchboard.microbench.SampleMessages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * The SQLite store's group commit: appends queued while the writer commits share its next transaction
 * (and, with durability sync, its one fsync), so appends/s should grow with concurrent appenders
 * instead of staying at one commit per append. Each operation is one publish of one 100-byte message,
 * waiting for its commit as a publish request does, to one topic of a store in a fresh directory under
 * {@code java.io.tmpdir} (which must be on a disk: on a tmpfs, SYNC would measure no fsync). Do not pass
 * {@code -t}: it would replace the thread counts that are the point of these benchmarks.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class GroupCommitBenchmark {
    @Param({"SYNC", "ASYNC"})
    public Durability durability;

    Path dir; // seen by the test, which checks that tear-down removes it
    private SqliteLogStore store;
    private AppendRequest publish;

    @Setup
    public void open() throws IOException {
        dir = Files.createTempDirectory("switchboard-jmh-");
        store = SqliteLogStore.open(dir);
        publish = new AppendRequest(SampleMessages.TOPIC, List.of(MessageDraft.of(SampleMessages.CONTENT_TYPE, SampleMessages.PAYLOAD)),
                durability, null);
    }

    @TearDown
    public void close() throws IOException {
        store.close();
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(GroupCommitBenchmark::delete);
        }
        Files.delete(dir);
    }

    /** The floor: each commit carries one append. */
    @Benchmark
    @Threads(1)
    public Appended oneAppender() {
        return store.append(publish).join();
    }

    /** Sixteen publishers at once, as an HTTP server with many clients has. */
    @Benchmark
    @Threads(16)
    public Appended sixteenAppenders() {
        return store.append(publish).join();
    }

    private static void delete(Path file) {
        try {
            Files.delete(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
