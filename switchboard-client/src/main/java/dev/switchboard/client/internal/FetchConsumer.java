package dev.switchboard.client.internal;

import dev.switchboard.client.ConsumeOptions;
import dev.switchboard.client.Fetched;
import dev.switchboard.client.GroupMessage;
import dev.switchboard.client.GroupState;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.client.SwitchboardClientException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

/**
 * A group consumer over HTTP: long-poll fetches of up to {@code maxInFlight} messages, each handed to the handler;
 * a failure is nacked at once, successes are acknowledged in one call per fetch (or sooner, once half the lease has
 * passed, so a slow batch does not lose its lease). Not API.
 */
record FetchConsumer(SwitchboardClient client, String topic, String group, ConsumeOptions options) implements ConsumerReader {

    @Override
    public void run(ConsumerLoop loop) {
        while (loop.isOpen()) {
            CompletableFuture<Fetched> call = client.fetchAsync(topic, group, options.maxInFlight(), options.longPollWait(), options.lease());
            loop.onClose(() -> call.cancel(true), () -> call.cancel(true));
            Fetched fetched;
            try {
                fetched = Requests.await(call);
            } catch (CancellationException e) {
                return; // closed: the hang-up makes the server give back what it was leasing to this fetch
            }
            loop.connected();
            handleAll(loop, fetched);
        }
    }

    private void handleAll(ConsumerLoop loop, Fetched fetched) {
        List<GroupMessage> messages = fetched.messages();
        long flushAt = System.nanoTime() + fetched.leaseDuration().toNanos() / 2;
        List<Long> acks = new ArrayList<>();
        int i = 0;
        for (; i < messages.size() && loop.isOpen(); i++) {
            GroupMessage m = messages.get(i);
            String failure = loop.handle(m);
            if (failure != null) {
                settle(loop, client.nackAsync(topic, group, fetched.lease(), List.of(m.offset()), options.nackDelay(), failure));
            } else {
                acks.add(m.offset());
            }
            if (!acks.isEmpty() && System.nanoTime() - flushAt > 0) {
                settle(loop, client.ackAsync(topic, group, fetched.lease(), acks));
                acks = new ArrayList<>();
            }
        }
        if (!acks.isEmpty()) {
            settle(loop, client.ackAsync(topic, group, fetched.lease(), acks));
        }
        if (i < messages.size()) {
            // Closed mid-batch: the rest goes back now, not when the lease runs out.
            List<Long> rest = messages.subList(i, messages.size()).stream().map(GroupMessage::offset).toList();
            settle(loop, client.releaseAsync(topic, group, fetched.lease(), rest));
        }
    }

    /** A refused ack or nack is reported and survived; a lost connection reconnects (the lease brings them back). */
    private static void settle(ConsumerLoop loop, CompletableFuture<GroupState> call) {
        try {
            Requests.await(call);
        } catch (SwitchboardClientException e) {
            if (e.retryable()) {
                throw e;
            }
            loop.problem(e);
        }
    }
}
