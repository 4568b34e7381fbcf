package dev.switchboard.cli.groups;

import java.time.Duration;

/**
 * The URL of the server the clients talk to, which changes when the test restarts it on another port.
 * A client that loses its connection waits here for the next server instead of spinning on the dead one.
 */
final class Endpoint {
    /** One server's URL and how many restarts came before it. */
    record Current(String url, long generation) {}

    private String url;
    private long generation;

    Endpoint(String url) {
        this.url = url;
    }

    synchronized Current current() {
        return new Current(url, generation);
    }

    /** The test restarted the server at {@code newUrl}: wakes every client waiting for it. */
    synchronized void moveTo(String newUrl) {
        url = newUrl;
        generation++;
        notifyAll();
    }

    /**
     * Waits until the server is replaced after {@code failedOn}, or {@code atMost} passes (a failure
     * that was not the server's death gets a retry on the same URL after that pause).
     */
    synchronized void awaitNext(Current failedOn, Duration atMost) throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (generation == failedOn.generation()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }
}
