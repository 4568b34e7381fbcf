package dev.switchboard.bench.wire;

/** A connection that ends while the bench still subscribes: counted, and a subscription not yet confirmed fails. */
final class Closes {
    private Closes() {}

    static void note(Subscriber subscriber, Deliveries deliveries, String what) {
        if (subscriber.closing()) {
            return;
        }
        deliveries.connectionClosed();
        subscriber.failed(new IllegalStateException(what + " before the bench closed it"));
    }
}
