package dev.switchboard.store.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.switchboard.core.message.Message;
import dev.switchboard.core.message.MessageDraft;
import dev.switchboard.core.store.AppendRequest;
import dev.switchboard.core.store.Appended;
import dev.switchboard.core.store.Durability;
import dev.switchboard.core.store.LogStore;
import dev.switchboard.core.store.Retention;
import dev.switchboard.core.store.TopicHead;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link LogStore} must do. A store's test extends this class and says how to open the
 * store kept in a directory; opening the same directory again is a restart.
 *
 * <p>This file is long on purpose: it is the one list of the store contract, read top to bottom.
 * A store that is not {@link #durable()} still runs the restart tests, which then check that a
 * restart starts afresh under a new epoch (so clients are told they cannot resume) instead of
 * checking that data survived.
 */
public abstract class LogStoreContract extends StoreFixture {

    // ---- offsets ----

    @Test
    void offsetsStartAtOneAndStayConsecutiveAcrossBatches() {
        assertThat(append("orders", 1)).extracting(Appended::first, Appended::last).containsExactly(1L, 1L);
        assertThat(append("orders", 3)).extracting(Appended::first, Appended::last).containsExactly(2L, 4L);
        assertThat(append("orders", 2)).extracting(Appended::first, Appended::last).containsExactly(5L, 6L);

        assertThat(offsets(store.read("orders", 0, 100))).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    }

    @Test
    void eachTopicCountsItsOwnOffsets() {
        append("a", 2);
        append("b", 1);
        Appended third = append("a", 1);

        assertThat(third.first()).isEqualTo(3);
        assertThat(offsets(store.read("b", 0, 100))).containsExactly(1L);
        assertThat(store.read("a", 0, 100)).allSatisfy(m -> assertThat(m.topic()).isEqualTo("a"));
    }

    @Test
    void appendAnswersWithTheMessagesItStored() {
        Appended appended = append("orders", 2);

        assertThat(appended.duplicate()).isFalse();
        assertThat(appended.count()).isEqualTo(2);
        assertThat(appended.timeMillis()).isEqualTo(clock.millis());
        assertThat(offsets(appended.messages())).containsExactly(1L, 2L);
        assertThat(appended.messages()).allSatisfy(m -> assertThat(m.timeMillis()).isEqualTo(clock.millis()));
    }

    @Test
    void offsetsStayGapFreeUnderConcurrentAppends() throws Exception {
        int threads = 64;
        int perThread = 200;
        List<String> topics = List.of("c0", "c1", "c2", "c3");
        Map<String, List<Appended>> results = new ConcurrentHashMap<>();
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    start.await();
                    String topic = topics.get(thread % topics.size());
                    for (int i = 0; i < perThread; i++) {
                        int size = 1 + i % 2;
                        Durability durability = i % 3 == 0 ? Durability.ASYNC : Durability.SYNC;
                        Appended a = await(store.append(request(topic, drafts(thread + "-" + i, size), durability, null)));
                        results.computeIfAbsent(topic, k -> Collections.synchronizedList(new ArrayList<>())).add(a);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(PATIENCE.toSeconds() * 4, TimeUnit.SECONDS);
            }
        }

        long perTopic = (long) (threads / topics.size()) * (perThread / 2 * 3);
        for (String topic : topics) {
            TreeSet<Long> answered = new TreeSet<>();
            for (Appended a : results.get(topic)) {
                for (long o = a.first(); o <= a.last(); o++) {
                    assertThat(answered.add(o)).as("offset %d of %s given twice", o, topic).isTrue();
                }
            }
            assertThat(answered).hasSize((int) perTopic);
            assertThat(answered.last()).isEqualTo(perTopic);
            List<Message> stored = readAll(topic);
            assertThat(offsets(stored)).containsExactlyElementsOf(LongStream.rangeClosed(1, perTopic).boxed().toList());
            assertThat(stored.stream().map(m -> text(m.payload())).distinct()).hasSize((int) perTopic);
            assertThat(store.head(topic)).isEqualTo(new TopicHead(topic, 1, perTopic));
        }
    }

    // ---- reading ----

    @Test
    void readReturnsMessagesAfterTheGivenOffsetUpToTheLimit() {
        append("orders", 10);

        assertThat(offsets(store.read("orders", 0, 3))).containsExactly(1L, 2L, 3L);
        assertThat(offsets(store.read("orders", 4, 3))).containsExactly(5L, 6L, 7L);
        assertThat(offsets(store.read("orders", 8, 100))).containsExactly(9L, 10L);
        assertThat(offsets(store.read("orders", 9, 1))).containsExactly(10L);
    }

    @Test
    void readAtOrBeyondTheEndIsEmpty() {
        append("orders", 3);

        assertThat(store.read("orders", 3, 10)).isEmpty();
        assertThat(store.read("orders", 1_000, 10)).isEmpty();
        assertThat(store.read("never-published", 0, 10)).isEmpty();
    }

    @Test
    void headOfAnUnknownTopicIsEmpty() {
        assertThat(store.head("never-published")).isEqualTo(TopicHead.empty("never-published"));
        assertThat(store.head("never-published").everPublished()).isFalse();
    }

    @Test
    void headReportsTheRetainedRange() {
        append("orders", 5);

        TopicHead head = store.head("orders");
        assertThat(head).isEqualTo(new TopicHead("orders", 1, 5));
        assertThat(head.count()).isEqualTo(5);
    }

    @Test
    void topicsListsEveryTopicThatHasHadAMessage() {
        assertThat(store.topics()).isEmpty();
        append("a", 1);
        append("b/c:d", 2);

        assertThat(store.topics()).containsExactlyInAnyOrder(new TopicHead("a", 1, 1), new TopicHead("b/c:d", 1, 2));
    }

    @Test
    void contentTypePayloadAndHeadersRoundTripExactly() {
        byte[] everyByte = new byte[256];
        for (int i = 0; i < everyByte.length; i++) {
            everyByte[i] = (byte) i;
        }
        byte[] large = new byte[256 * 1024];
        new Random(42).nextBytes(large);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("trace", "00-abc-01");
        headers.put("naïve-ключ", "värde 😀 \u0000 end");
        headers.put("empty", "");
        List<MessageDraft> drafts = List.of(
                new MessageDraft("application/octet-stream", everyByte, Map.of()),
                new MessageDraft("text/plain; charset=utf-8", new byte[0], headers),
                new MessageDraft("application/json", "{\"å\":\"😀\"}".getBytes(StandardCharsets.UTF_8), Map.of("k", "v")),
                new MessageDraft("application/x-large", large, Map.of()));

        await(store.append(request("round-trip", drafts, Durability.SYNC, null)));

        List<Message> read = store.read("round-trip", 0, 10);
        assertThat(read).hasSize(drafts.size());
        for (int i = 0; i < drafts.size(); i++) {
            MessageDraft sent = drafts.get(i);
            Message got = read.get(i);
            assertThat(got.topic()).isEqualTo("round-trip");
            assertThat(got.contentType()).isEqualTo(sent.contentType());
            assertThat(got.payload()).isEqualTo(sent.payload());
            assertThat(got.headers()).isEqualTo(sent.headers());
            assertThat(got.timeMillis()).isEqualTo(clock.millis());
        }
    }

    // ---- idempotency ----

    @Test
    void sameIdempotencyKeyReturnsTheFirstResultWithoutAppendingAgain() {
        append("orders", 1);
        Appended first = await(store.append(request("orders", drafts("x", 2), Durability.SYNC, "key-1")));
        clock.advance(Duration.ofSeconds(5));
        Appended again = await(store.append(request("orders", drafts("y", 2), Durability.SYNC, "key-1")));

        assertThat(first.duplicate()).isFalse();
        assertThat(again.duplicate()).isTrue();
        assertThat(again).extracting(Appended::topic, Appended::first, Appended::last, Appended::timeMillis)
                .containsExactly("orders", 2L, 3L, first.timeMillis());
        assertThat(store.head("orders").last()).isEqualTo(3);
        assertThat(store.read("orders", 0, 10)).extracting(m -> text(m.payload())).containsExactly("1:0", "x:0", "x:1");
    }

    @Test
    void idempotencyKeyIsScopedToItsTopic() {
        Appended onA = await(store.append(request("a", drafts("x", 1), Durability.SYNC, "shared")));
        append("b", 2);
        Appended onB = await(store.append(request("b", drafts("y", 1), Durability.SYNC, "shared")));

        assertThat(onA.duplicate()).isFalse();
        assertThat(onB.duplicate()).isFalse();
        assertThat(onB.first()).isEqualTo(3);
    }

    @Test
    void idempotencyKeyIsForgottenAfterItsTtl() {
        Appended first = await(store.append(request("orders", drafts("x", 1), Durability.SYNC, "key")));
        clock.advance(KEY_TTL);
        assertThat(await(store.append(request("orders", drafts("y", 1), Durability.SYNC, "key"))).duplicate())
                .as("still remembered at exactly the TTL").isTrue();

        clock.advance(Duration.ofSeconds(1));
        Appended late = await(store.append(request("orders", drafts("z", 1), Durability.SYNC, "key")));

        assertThat(late.duplicate()).isFalse();
        assertThat(late.first()).isEqualTo(first.last() + 1);
    }

    @Test
    void concurrentAppendsWithOneKeyAppendOnce() {
        List<CompletableFuture<Appended>> all = IntStream.range(0, 32)
                .mapToObj(i -> store.append(request("orders", drafts("r" + i, 2), Durability.SYNC, "same")))
                .toList();

        List<Appended> results = all.stream().map(LogStoreContract::await).toList();
        assertThat(results).filteredOn(a -> !a.duplicate()).hasSize(1);
        assertThat(results).extracting(Appended::first, Appended::last).containsOnly(tuple(1L, 2L));
        assertThat(store.head("orders").last()).isEqualTo(2);
    }

    // ---- listener ----

    @Test
    void listenerSeesEveryCommitInOffsetOrderBeforeTheAppendCompletes() {
        Map<String, List<Long>> seen = new ConcurrentHashMap<>();
        store.listen((topic, messages) -> seen.computeIfAbsent(topic, k -> Collections.synchronizedList(new ArrayList<>()))
                .addAll(offsets(messages)));
        List<CompletableFuture<Boolean>> seenFirst = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String topic = i % 2 == 0 ? "even" : "odd";
            seenFirst.add(store.append(request(topic, drafts("m" + i, 1 + i % 3), Durability.ASYNC, null))
                    .thenApply(a -> seen.getOrDefault(topic, List.of()).contains(a.last())));
        }

        assertThat(seenFirst).allSatisfy(f -> assertThat(await(f)).isTrue());
        for (String topic : List.of("even", "odd")) {
            long last = store.head(topic).last();
            assertThat(seen.get(topic)).containsExactlyElementsOf(LongStream.rangeClosed(1, last).boxed().toList());
        }
    }

    @Test
    void duplicateAppendIsNotToldToTheListener() {
        List<Long> seen = Collections.synchronizedList(new ArrayList<>());
        store.listen((topic, messages) -> seen.addAll(offsets(messages)));

        await(store.append(request("orders", drafts("x", 1), Durability.SYNC, "k")));
        await(store.append(request("orders", drafts("x", 1), Durability.SYNC, "k")));

        assertThat(seen).containsExactly(1L);
    }

    // ---- retention ----

    @Test
    void trimByCountKeepsTheNewestMessages() {
        append("orders", 10);

        assertThat(store.trim("orders", new Retention(4, Duration.ZERO), clock.millis())).isEqualTo(6);
        assertThat(store.head("orders")).isEqualTo(new TopicHead("orders", 7, 10));
        assertThat(offsets(store.read("orders", 0, 100))).containsExactly(7L, 8L, 9L, 10L);
        assertThat(store.trim("orders", new Retention(4, Duration.ZERO), clock.millis())).isZero();
    }

    @Test
    void trimByAgeRemovesMessagesOlderThanTheMaximum() {
        append("orders", 3);
        clock.advance(Duration.ofMinutes(10));
        append("orders", 2);
        clock.advance(Duration.ofMinutes(1));

        assertThat(store.trim("orders", new Retention(0, Duration.ofMinutes(5)), clock.millis())).isEqualTo(3);
        assertThat(store.head("orders")).isEqualTo(new TopicHead("orders", 4, 5));
        assertThat(offsets(store.read("orders", 1, 100))).containsExactly(4L, 5L);
    }

    @Test
    void trimAppliesBothCountAndAge() {
        append("orders", 5);
        clock.advance(Duration.ofHours(2));
        append("orders", 5);

        assertThat(store.trim("orders", new Retention(3, Duration.ofHours(1)), clock.millis())).isEqualTo(7);
        assertThat(store.head("orders")).isEqualTo(new TopicHead("orders", 8, 10));
        assertThat(store.head("other")).isEqualTo(TopicHead.empty("other"));
    }

    @Test
    void offsetsAreNeverReusedAfterTrimmingEverything() {
        append("orders", 4);
        clock.advance(Duration.ofHours(1));

        assertThat(store.trim("orders", new Retention(0, Duration.ofMinutes(1)), clock.millis())).isEqualTo(4);
        assertThat(store.head("orders")).isEqualTo(new TopicHead("orders", 5, 4));
        assertThat(store.read("orders", 0, 10)).isEmpty();
        assertThat(store.topics()).containsExactly(new TopicHead("orders", 5, 4));
        assertThat(append("orders", 1).first()).isEqualTo(5);
    }

    // ---- reserved topics ----

    @Test
    void reservedTopicsAreLeftOutOfListingsAndCanBeDroppedWithTheirMessages() {
        append("orders", 1);
        append("_jobs/aa", 2);
        append("_jobs/bb", 1);

        assertThat(store.topics()).extracting(TopicHead::topic).containsExactly("orders");
        assertThat(store.drop(List.of("_jobs/aa", "_jobs/never"))).isEqualTo(1);

        assertThat(store.read("_jobs/aa", 0, 10)).isEmpty();
        assertThat(store.head("_jobs/aa").everPublished()).isFalse();
        assertThat(offsets(store.read("_jobs/bb", 0, 10))).containsExactly(1L);
        assertThat(store.drop(List.of())).isZero();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.drop(List.of("orders")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(offsets(store.read("orders", 0, 10))).containsExactly(1L);
    }

    // ---- restart ----

    @Test
    void syncAndAsyncAppendsSurviveCloseAndReopen() {
        String epoch = store.epoch();
        await(store.append(request("orders", drafts("sync", 2), Durability.SYNC, null)));
        await(store.append(request("orders", drafts("async", 2), Durability.ASYNC, null)));

        restart();

        if (!durable()) {
            assertStartedAfresh(epoch);
            return;
        }
        assertThat(store.read("orders", 0, 10)).extracting(m -> text(m.payload()))
                .containsExactly("sync:0", "sync:1", "async:0", "async:1");
        assertThat(store.head("orders")).isEqualTo(new TopicHead("orders", 1, 4));
    }

    @Test
    void epochStaysTheSameAcrossReopen() {
        String epoch = store.epoch();
        append("orders", 1);

        restart();

        if (!durable()) {
            assertStartedAfresh(epoch);
            return;
        }
        assertThat(store.epoch()).isEqualTo(epoch);
    }

    @Test
    void epochDiffersForANewDirectory() {
        LogStore other = track(open(dir.resolve("other"), clock, KEY_TTL));

        assertThat(store.epoch()).isNotBlank();
        assertThat(other.epoch()).isNotBlank().isNotEqualTo(store.epoch());
    }

    @Test
    void offsetsContinueAfterReopenEvenWhenEverythingWasTrimmed() {
        String epoch = store.epoch();
        append("orders", 3);
        append("kept", 2);
        clock.advance(Duration.ofHours(1));
        store.trim("orders", new Retention(0, Duration.ofMinutes(1)), clock.millis());

        restart();

        if (!durable()) {
            assertStartedAfresh(epoch);
            return;
        }
        assertThat(store.head("orders")).isEqualTo(new TopicHead("orders", 4, 3));
        assertThat(append("orders", 1).first()).isEqualTo(4);
        assertThat(append("kept", 1).first()).isEqualTo(3);
    }

    @Test
    void idempotencyKeysSurviveReopen() {
        String epoch = store.epoch();
        Appended first = await(store.append(request("orders", drafts("x", 1), Durability.SYNC, "key")));

        restart();

        if (!durable()) {
            assertStartedAfresh(epoch);
            return;
        }
        Appended again = await(store.append(request("orders", drafts("x", 1), Durability.SYNC, "key")));
        assertThat(again.duplicate()).isTrue();
        assertThat(again.first()).isEqualTo(first.first());
    }

    // ---- closing ----

    @Test
    void appendAfterCloseFailsCleanly() {
        store.close();

        CompletableFuture<Appended> late = store.append(request("orders", drafts("late", 1), Durability.SYNC, null));

        assertThat(late).failsWithin(PATIENCE);
    }

    @Test
    void closeCompletesAppendsAlreadyQueued() {
        List<CompletableFuture<Appended>> queued = IntStream.range(0, 200)
                .mapToObj(i -> store.append(request("orders", drafts("q" + i, 1), Durability.ASYNC, null)))
                .toList();

        store.close();

        assertThat(queued).allSatisfy(f -> assertThat(f).succeedsWithin(PATIENCE));
    }

    private List<Message> readAll(String topic) {
        List<Message> all = new ArrayList<>();
        long after = 0;
        for (List<Message> page; !(page = store.read(topic, after, 500)).isEmpty(); after = page.getLast().offset()) {
            all.addAll(page);
        }
        return all;
    }

    private void assertStartedAfresh(String epochBefore) {
        assertThat(store.epoch()).as("a store that lost its data must change its epoch").isNotEqualTo(epochBefore);
        assertThat(store.topics()).isEmpty();
        assertThat(store.head("orders").everPublished()).isFalse();
    }
}
