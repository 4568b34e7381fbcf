package dev.switchboard.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.core.error.ErrorCode;
import dev.switchboard.core.error.SwitchboardException;
import dev.switchboard.core.message.Message;
import dev.switchboard.core.message.MessageDraft;
import dev.switchboard.core.store.AppendRequest;
import dev.switchboard.core.store.Appended;
import dev.switchboard.core.store.Durability;
import dev.switchboard.core.store.JobDraft;
import dev.switchboard.core.store.JobState;
import dev.switchboard.core.store.LeaseRequest;
import dev.switchboard.core.store.StoreMetrics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the contract cannot see from outside: group commit, the file's contents, failures, back-pressure. */
final class SqliteLogStoreTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private final List<Integer> commitSizes = new CopyOnWriteArrayList<>();
    private final StoreMetrics metrics = (requests, messages, nanos) -> commitSizes.add(requests);
    private final List<SqliteLogStore> opened = new ArrayList<>();

    @AfterEach
    void closeStores() {
        opened.forEach(SqliteLogStore::close);
    }

    @Test
    void concurrentAppendsShareCommits() throws Exception {
        SqliteLogStore store = open(SqliteLogStore.DEFAULT_QUEUE_LIMIT);
        int threads = 64;
        int perThread = 20;
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int t = 0; t < threads; t++) {
                pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        store.append(request("orders", "m", null)).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
                    }
                    return null;
                });
            }
            start.countDown();
        }

        assertThat(store.head("orders").last()).isEqualTo(threads * perThread);
        assertThat(commitSizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(threads * perThread);
        assertThat(commitSizes.size()).as("commits for %d appends", threads * perThread).isLessThan(threads * perThread);
    }

    @Test
    void appendsQueuedDuringACommitGoInTheNextSingleCommit() {
        SqliteLogStore store = open(SqliteLogStore.DEFAULT_QUEUE_LIMIT);
        CountDownLatch release = new CountDownLatch(1);
        holdWriterOnFirstCommit(store, release);
        CompletableFuture<Appended> first = store.append(request("orders", "first", null));
        awaitWriterHeld(first);

        List<CompletableFuture<Appended>> queued = IntStream.range(0, 63)
                .mapToObj(i -> store.append(request("orders", "m" + i, null))).toList();
        release.countDown();

        queued.forEach(f -> assertThat(f).succeedsWithin(PATIENCE));
        assertThat(commitSizes).containsExactly(1, 63);
    }

    @Test
    void publishesAreAnsweredOnTheWriterThreadHoweverManyShareABatch() {
        SqliteLogStore store = open(SqliteLogStore.DEFAULT_QUEUE_LIMIT);
        CountDownLatch release = new CountDownLatch(1);
        holdWriterOnFirstCommit(store, release);
        awaitWriterHeld(store.append(request("orders", "held", null)));
        List<String> threads = new CopyOnWriteArrayList<>();

        List<CompletableFuture<Appended>> queued = IntStream.range(0, Answers.HANDED_OFF_FROM)
                .mapToObj(i -> store.append(request("orders", "m" + i, null)).whenComplete((a, e) -> threads.add(Thread.currentThread().getName())))
                .toList();
        release.countDown();

        queued.forEach(f -> assertThat(f).succeedsWithin(PATIENCE));
        assertThat(commitSizes).containsExactly(1, Answers.HANDED_OFF_FROM);
        assertThat(threads).hasSize(Answers.HANDED_OFF_FROM).containsOnly("sb-sqlite-writer");
    }

    @Test
    void aFailedCommitFailsItsWholeBatchAndUsesNoOffset() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        SqliteLogStore store = heldWithAClashAhead("orders", release);

        CompletableFuture<Appended> clashing = store.append(request("orders", "two", null));
        CompletableFuture<Appended> innocent = store.append(request("elsewhere", "e", "key"));
        release.countDown();

        assertThat(clashing).failsWithin(PATIENCE).withThrowableThat().havingRootCause()
                .withMessageContaining("UNIQUE constraint failed");
        assertThat(innocent).failsWithin(PATIENCE).withThrowableThat()
                .withMessageContaining("nothing of its batch of 2 writes was written");
        assertThat(store.head("elsewhere").everPublished()).isFalse();
        sql("DELETE FROM messages WHERE topic_id = 1 AND seq = 2");
        assertThat(store.append(request("orders", "two", null)).get(PATIENCE.toSeconds(), TimeUnit.SECONDS).first()).isEqualTo(2);
        Appended retried = store.append(request("elsewhere", "e", "key")).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        assertThat(retried.duplicate()).isFalse();
        assertThat(retried.first()).isEqualTo(1);
    }

    @Test
    void aFullQueueRefusesAppendsWithTheNumbers() {
        SqliteLogStore store = open(2);
        CountDownLatch release = new CountDownLatch(1);
        holdWriterOnFirstCommit(store, release);
        awaitWriterHeld(store.append(request("orders", "held", null)));
        List<CompletableFuture<Appended>> queued = List.of(
                store.append(request("orders", "a", null)), store.append(request("orders", "b", null)));

        CompletableFuture<Appended> refused = store.append(request("orders", "c", null));

        assertThat(refused).isCompletedExceptionally();
        assertThatThrownBy(refused::join).cause().isInstanceOfSatisfying(SwitchboardException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.STORE_UNAVAILABLE);
            assertThat(e.detail()).isEqualTo("append to 'orders' refused: store busy: 2 writes queued (limit 2)");
        });
        release.countDown();
        queued.forEach(f -> assertThat(f).succeedsWithin(PATIENCE));
    }

    @Test
    void epochIsStoredInTheDatabaseFile() throws SQLException {
        SqliteLogStore store = open(SqliteLogStore.DEFAULT_QUEUE_LIMIT);
        String epoch = store.epoch();
        store.close();

        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqliteLogStore.FILE_NAME));
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT value FROM meta WHERE name = 'epoch'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo(epoch);
        }
    }

    @Test
    void reopenedStoreContinuesOffsetsFromTheFile() throws Exception {
        SqliteLogStore store = open(SqliteLogStore.DEFAULT_QUEUE_LIMIT);
        store.append(new AppendRequest("orders", List.of(draft("a"), draft("b")), Durability.ASYNC, null))
                .get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        store.close();

        SqliteLogStore reopened = open(SqliteLogStore.DEFAULT_QUEUE_LIMIT);

        assertThat(reopened.append(request("orders", "c", null)).get(PATIENCE.toSeconds(), TimeUnit.SECONDS).first()).isEqualTo(3);
        assertThat(reopened.read("orders", 0, 10)).extracting(m -> new String(m.payload(), StandardCharsets.UTF_8))
                .containsExactly("a", "b", "c");
    }

    @Test
    void aReservedTopicMissingFromTheCacheContinuesItsOffsets() throws Exception {
        // Reserved topics (a job's events) are inserted before they are looked up: an existing one must
        // still be found, as after a restart, when the cache is empty.
        SqliteLogStore store = open(SqliteLogStore.DEFAULT_QUEUE_LIMIT);
        store.append(request("_jobs/0123", "queued", null)).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        store.append(request("_jobs/0123", "running", null)).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        store.close();

        SqliteLogStore reopened = open(SqliteLogStore.DEFAULT_QUEUE_LIMIT);

        assertThat(reopened.append(request("_jobs/0123", "succeeded", null)).get(PATIENCE.toSeconds(), TimeUnit.SECONDS).first())
                .isEqualTo(3);
        assertThat(reopened.read("_jobs/0123", 0, 10)).extracting(m -> new String(m.payload(), StandardCharsets.UTF_8))
                .containsExactly("queued", "running", "succeeded");
    }

    @Test
    void reservedTopicsNewToABatchAreBornTogetherWithTheOffsetsTheBatchGivesThem() throws Exception {
        // One statement creates the reserved topics a batch appends to: two events of one new job, a keyed
        // append before a plain one, and a topic that exists but is not cached (as after a restart).
        SqliteLogStore store = open(SqliteLogStore.DEFAULT_QUEUE_LIMIT);
        store.append(request("_jobs/old", "queued", null)).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        store.close();
        SqliteLogStore reopened = open(SqliteLogStore.DEFAULT_QUEUE_LIMIT);
        commitSizes.clear();
        CountDownLatch release = new CountDownLatch(1);
        holdWriterOnFirstCommit(reopened, release);
        awaitWriterHeld(reopened.append(request("held", "h", null)));

        List<CompletableFuture<Appended>> batch = List.of(
                reopened.append(request("_jobs/a", "queued", null)),
                reopened.append(request("_jobs/a", "running", null)),
                reopened.append(request("_jobs/b", "keyed", "k")),
                reopened.append(request("_jobs/b", "plain", null)),
                reopened.append(request("_jobs/old", "running", null)));
        release.countDown();

        assertThat(batch).map(f -> f.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).first()).containsExactly(1L, 2L, 1L, 2L, 2L);
        assertThat(commitSizes).containsExactly(1, 5);
        reopened.close();
        SqliteLogStore again = open(SqliteLogStore.DEFAULT_QUEUE_LIMIT); // offsets now come from the topics' rows
        for (String topic : List.of("_jobs/a", "_jobs/b", "_jobs/old")) {
            assertThat(again.append(request(topic, "last", null)).get(PATIENCE.toSeconds(), TimeUnit.SECONDS).first()).as(topic)
                    .isEqualTo(3);
        }
        assertThat(again.read("_jobs/a", 0, 10)).extracting(m -> new String(m.payload(), StandardCharsets.UTF_8))
                .containsExactly("queued", "running", "last");
        assertThat(again.append(request("_jobs/b", "keyed", "k")).get(PATIENCE.toSeconds(), TimeUnit.SECONDS))
                .extracting(Appended::duplicate, Appended::first).containsExactly(true, 1L);
    }

    @Test
    void aBatchOfMoreMessagesThanOneInsertTakesStoresEachInOrderWithItsHeaders() throws Exception {
        SqliteLogStore store = open(SqliteLogStore.DEFAULT_QUEUE_LIMIT);
        CountDownLatch release = new CountDownLatch(1);
        holdWriterOnFirstCommit(store, release);
        awaitWriterHeld(store.append(request("held", "h", null)));
        int many = 2 * MessageInserts.ROWS + 1;
        List<MessageDraft> drafts = IntStream.range(0, many)
                .mapToObj(i -> new MessageDraft("text/plain", ("m" + i).getBytes(StandardCharsets.UTF_8), Map.of("n", "" + i))).toList();

        CompletableFuture<Appended> big = store.append(new AppendRequest("orders", drafts, Durability.SYNC, null));
        CompletableFuture<Appended> small = store.append(request("_jobs/z", "one", null));
        CompletableFuture<Appended> after = store.append(request("orders", "last", null));
        release.countDown();

        assertThat(after).succeedsWithin(PATIENCE).extracting(Appended::first).isEqualTo((long) many + 1);
        assertThat(small).succeedsWithin(PATIENCE).extracting(Appended::first).isEqualTo(1L);
        assertThat(commitSizes).containsExactly(1, 3);
        List<Message> stored = store.read("orders", 0, many + 10);
        assertThat(stored).extracting(Message::offset).containsExactlyElementsOf(LongStream.rangeClosed(1, many + 1).boxed().toList());
        assertThat(stored.get(many - 1).headers()).isEqualTo(Map.of("n", "" + (many - 1)));
        assertThat(new String(stored.get(MessageInserts.ROWS).payload(), StandardCharsets.UTF_8)).isEqualTo("m" + MessageInserts.ROWS);
        assertThat(big.join().last()).isEqualTo(many);
    }

    @Test
    void aFailedBatchLeavesNoReservedTopicItBore() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        SqliteLogStore store = heldWithAClashAhead("_jobs/x", release);

        CompletableFuture<Appended> clashing = store.append(request("_jobs/x", "two", null));
        CompletableFuture<Appended> born = store.append(request("_jobs/new", "n", null));
        release.countDown();

        assertThat(clashing).failsWithin(PATIENCE);
        assertThat(born).failsWithin(PATIENCE).withThrowableThat().withMessageContaining("nothing of its batch of 2 writes was written");
        assertThat(store.head("_jobs/new").everPublished()).isFalse();
        sql("DELETE FROM messages WHERE topic_id = 1 AND seq = 2");
        assertThat(store.append(request("_jobs/new", "n", null)).get(PATIENCE.toSeconds(), TimeUnit.SECONDS).first()).isEqualTo(1);
        assertThat(store.append(request("_jobs/x", "two", null)).get(PATIENCE.toSeconds(), TimeUnit.SECONDS).first()).isEqualTo(2);
        assertThat(store.read("_jobs/new", 0, 10)).hasSize(1);
    }

    /**
     * A store whose first topic, {@code topic}, has offset 1 and a row already at offset 2 (so the next
     * append to it fails the batch it is in), with the writer held in a commit until {@code release}.
     */
    private SqliteLogStore heldWithAClashAhead(String topic, CountDownLatch release) throws Exception {
        SqliteLogStore store = open(SqliteLogStore.DEFAULT_QUEUE_LIMIT);
        store.append(request(topic, "one", null)).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        sql("INSERT INTO messages (topic_id, seq, time_ms, content_type, payload) VALUES (1, 2, 0, 'x', x'00')");
        commitSizes.clear();
        holdWriterOnFirstCommit(store, release);
        awaitWriterHeld(store.append(request("held", "h", null)));
        return store;
    }

    @Test
    void aDatabaseOfAnotherSchemaVersionIsRefusedByName() throws SQLException {
        open(SqliteLogStore.DEFAULT_QUEUE_LIMIT).close();
        sql("UPDATE meta SET value = '99' WHERE name = 'schema_version'");

        assertThatThrownBy(() -> open(SqliteLogStore.DEFAULT_QUEUE_LIMIT))
                .isInstanceOf(SwitchboardException.class)
                .hasMessageContaining(SqliteLogStore.FILE_NAME)
                .hasMessageContaining("has schema version 99 but this build reads up to version " + Schema.VERSION);
    }

    @Test
    void aVersionOneDatabaseGainsConsumerGroupsAndKeepsItsMessagesAndEpoch() throws Exception {
        SqliteLogStore first = open(SqliteLogStore.DEFAULT_QUEUE_LIMIT);
        String epoch = first.epoch();
        first.append(request("orders", "a", null)).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        first.close();
        sql("DROP TABLE consumer_groups");
        sql("DROP TABLE group_pending");
        sql("DROP TABLE jobs");
        sql("UPDATE meta SET value = '1' WHERE name = 'schema_version'");

        SqliteLogStore upgraded = open(SqliteLogStore.DEFAULT_QUEUE_LIMIT);

        assertThat(upgraded.epoch()).isEqualTo(epoch);
        assertThat(upgraded.groups().lease(new LeaseRequest("orders", "billing", 10, 1_000, 3, 0)).deliveries())
                .extracting(d -> new String(d.message().payload(), StandardCharsets.UTF_8)).containsExactly("a");
        upgraded.close();
        assertThat(open(SqliteLogStore.DEFAULT_QUEUE_LIMIT).groups().state("orders", "billing", 0).delivered())
                .as("migrated once: reopening keeps the group").isEqualTo(1);
    }

    @Test
    void aVersionTwoDatabaseGainsJobsAndKeepsItsGroups() throws Exception {
        SqliteLogStore first = open(SqliteLogStore.DEFAULT_QUEUE_LIMIT);
        first.append(request("orders", "a", null)).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        first.groups().lease(new LeaseRequest("orders", "billing", 10, 1_000, 3, 0));
        first.close();
        sql("DROP TABLE jobs");
        sql("UPDATE meta SET value = '2' WHERE name = 'schema_version'");

        SqliteLogStore upgraded = open(SqliteLogStore.DEFAULT_QUEUE_LIMIT);

        assertThat(upgraded.groups().state("orders", "billing", 0).delivered()).isEqualTo(1);
        String id = upgraded.jobs().submit(new JobDraft("email", "text/plain", new byte[] {1}, 3, 1_000, 0, "k"), 0).job().id();
        upgraded.close();
        SqliteLogStore reopened = open(SqliteLogStore.DEFAULT_QUEUE_LIMIT);
        assertThat(reopened.jobs().get(id).state()).as("migrated once: reopening keeps the job").isEqualTo(JobState.QUEUED);
    }

    private SqliteLogStore open(int queueLimit) {
        SqliteLogStore store = SqliteLogStore.open(dir, Clock.systemUTC(), Duration.ofHours(1), metrics, queueLimit);
        opened.add(store);
        return store;
    }

    /** Makes the writer thread wait in the listener of its first commit until {@code release} opens. */
    private static void holdWriterOnFirstCommit(SqliteLogStore store, CountDownLatch release) {
        AtomicBoolean first = new AtomicBoolean(true);
        store.listen((topic, messages) -> {
            if (first.getAndSet(false)) {
                try {
                    release.await(PATIENCE.toSeconds(), TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
    }

    /** The first commit is done (its metrics reported) and its listener is now holding the writer. */
    private void awaitWriterHeld(CompletableFuture<Appended> first) {
        await().atMost(PATIENCE).until(() -> commitSizes.size() == 1);
        assertThat(first).isNotDone();
    }

    private void sql(String statement) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqliteLogStore.FILE_NAME));
             Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout = 5000");
            s.execute(statement);
        }
    }

    private static AppendRequest request(String topic, String text, String key) {
        return new AppendRequest(topic, List.of(draft(text)), Durability.SYNC, key);
    }

    private static MessageDraft draft(String text) {
        return MessageDraft.of("text/plain", text.getBytes(StandardCharsets.UTF_8));
    }
}
