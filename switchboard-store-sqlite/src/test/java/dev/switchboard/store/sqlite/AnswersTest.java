package dev.switchboard.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

final class AnswersTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final Answers answers = new Answers();
    private final List<String> given = new CopyOnWriteArrayList<>();

    AnswersTest() {
        answers.start();
    }

    @AfterEach
    void close() {
        answers.close();
    }

    @Test
    void aBatchWithFewAnswersIsAnsweredOnTheCallersThread() {
        answers.give(batch("few", Answers.HANDED_OFF_FROM - 1, null));

        assertThat(given).hasSize(Answers.HANDED_OFF_FROM - 1).allMatch(g -> g.endsWith(" on " + Thread.currentThread().getName()));
    }

    @Test
    void aBatchWithManyIsAnsweredOnTheAnsweringThreadAndASmallOneAfterItWaitsItsTurn() {
        CountDownLatch release = new CountDownLatch(1);
        answers.give(batch("many", Answers.HANDED_OFF_FROM, release));
        answers.give(batch("few", 1, null));
        assertThat(given).as("the few wait behind the many").isEmpty();

        release.countDown();

        await().atMost(PATIENCE).until(() -> given.size() == Answers.HANDED_OFF_FROM + 1);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < Answers.HANDED_OFF_FROM; i++) {
            expected.add("many " + i + " on sb-sqlite-answers");
        }
        expected.add("few 0 on sb-sqlite-answers");
        assertThat(given).containsExactlyElementsOf(expected);
    }

    /** {@code n} answers that record their name and thread; the first waits for {@code gate} when there is one. */
    private List<Runnable> batch(String name, int n, CountDownLatch gate) {
        List<Runnable> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String answer = name + " " + i;
            boolean waits = i == 0 && gate != null;
            batch.add(() -> {
                if (waits) {
                    try {
                        gate.await(PATIENCE.toSeconds(), TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                given.add(answer + " on " + Thread.currentThread().getName());
            });
        }
        return batch;
    }
}
