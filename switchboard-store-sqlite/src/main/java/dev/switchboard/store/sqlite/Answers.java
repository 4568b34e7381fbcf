package dev.switchboard.store.sqlite;

import dev.switchboard.store.jdbc.StoreThreads;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Gives the answers of a committed batch's work (job and consumer-group calls): completes the futures
 * their callers block on. Each answer wakes its caller, a thread hand-off the writer would pay on its own
 * time, once per caller; so a batch with many is handed whole to the answering thread (one hand-off), and
 * the writer goes on to the next batch. A batch with few is answered on the writer, as are publishes
 * (the writer acks them itself), so neither waits for a second thread. Answers keep the order of their
 * batches: while handed-off ones are pending, a small batch's go behind them.
 */
final class Answers {
    /** At this many answers a batch is answered on the answering thread. */
    static final int HANDED_OFF_FROM = 16;

    private static final List<Runnable> END = List.of(() -> {}); // its own instance: compared by identity

    private final LinkedBlockingQueue<List<Runnable>> handedOff = new LinkedBlockingQueue<>();
    private final Thread thread = Thread.ofPlatform().name("sb-sqlite-answers").daemon().unstarted(this::run);
    private final AtomicInteger pending = new AtomicInteger(); // batches handed off and not answered yet

    void start() {
        thread.start();
    }

    /** Writer thread only, once the batch is durable. */
    void give(List<Runnable> answers) {
        if (answers.size() < HANDED_OFF_FROM && pending.get() == 0) {
            answers.forEach(Runnable::run);
            return;
        }
        pending.incrementAndGet();
        handedOff.add(answers);
    }

    boolean isAnswering() {
        return Thread.currentThread() == thread;
    }

    /** Answers what was handed off, then ends the thread; called once the writer has ended. */
    void close() {
        handedOff.add(END);
        StoreThreads.awaitEnd(thread);
    }

    private void run() {
        while (true) {
            List<Runnable> answers;
            try {
                answers = handedOff.take();
            } catch (InterruptedException e) {
                continue; // nobody interrupts it on purpose; closing goes through the queue
            }
            if (answers == END) {
                return;
            }
            answers.forEach(Runnable::run); // completing a future runs its dependents, which never throw out of it
            pending.decrementAndGet();
        }
    }
}
