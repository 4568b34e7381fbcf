package dev.switchboard.client.internal;

import dev.switchboard.client.Gap;
import dev.switchboard.client.Message;
import dev.switchboard.client.SubscribeOptions;
import dev.switchboard.client.Subscription;
import dev.switchboard.client.SubscriptionListener;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.client.SwitchboardClientException;
import dev.switchboard.client.Transport;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The one loop behind every {@link Subscription}: connect with the transport's {@link Reader}, deliver, and on any
 * retryable failure wait a jittered backoff and reconnect after the last delivered offset, with the epoch it came
 * from. Runs on one virtual thread per subscription; that thread alone calls the listener and moves the position.
 * Not API.
 */
public final class SubscriptionLoop implements Subscription, Sink {
    private final String topic;
    private final SubscribeOptions options;
    private final SubscriptionListener listener;
    private final Consumer<Subscription> onEnd;
    private final Reader reader;
    private final Backoff backoff;
    private final Thread thread;
    private volatile boolean open = true;
    private volatile Runnable abort = () -> { };
    private volatile Long after; // written by the loop thread only
    private volatile String epoch;
    private volatile long lastAlive; // System.nanoTime() of the last sign of life of the current stream
    private volatile boolean streaming; // a stream (SSE, WebSocket) is connected and watched for silence
    private volatile boolean stalled;
    private volatile boolean delivering; // a slow listener is not a silent peer
    private ScheduledFuture<?> watch;
    private int failures;

    public SubscriptionLoop(SwitchboardClient client, Requests requests, String topic, SubscribeOptions options,
            SubscriptionListener listener, Consumer<Subscription> onEnd) {
        this.topic = topic;
        this.options = options;
        this.listener = listener;
        this.onEnd = onEnd;
        this.after = options.after();
        this.backoff = new Backoff(options.minBackoff(), options.maxBackoff());
        this.reader = switch (options.transport()) {
            case SSE -> new SseReader(requests, topic);
            case WEBSOCKET -> new WsReader(requests, topic);
            case LONG_POLL -> new PollReader(client, topic, options.limit(), options.longPollWait(), null);
            case SHORT_POLL -> new PollReader(client, topic, options.limit(), null, options.pollInterval());
        };
        this.thread = Thread.ofVirtual().name("sb-client-" + options.transport().name().toLowerCase() + "-" + topic)
                .unstarted(this::loop);
    }

    public void start() {
        if (options.transport() == Transport.SSE || options.transport() == Transport.WEBSOCKET) {
            long period = Math.max(10, options.idleTimeout().toMillis() / 4);
            watch = WATCHDOG.scheduleAtFixedRate(this::checkIdle, period, period, TimeUnit.MILLISECONDS);
        }
        thread.start(); // after the watch is set: the loop cancels it when it ends
    }

    /**
     * One daemon thread checks every streaming subscription for silence: a peer that vanished without a close
     * (power loss, a dropped route) would otherwise leave a stream waiting forever.
     */
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("sb-client-watchdog").daemon().factory());

    private void checkIdle() {
        if (open && streaming && !delivering && System.nanoTime() - lastAlive > options.idleTimeout().toNanos()) {
            stalled = true;
            streaming = false;
            abort.run(); // the reader fails and the loop reconnects
        }
    }

    private void loop() {
        Throwable end = null;
        try {
            while (open) {
                try {
                    reader.run(this);
                } catch (SwitchboardClientException failure) {
                    streaming = false;
                    if (!open) {
                        break;
                    }
                    SwitchboardClientException e = !stalled ? failure : new SwitchboardClientException(0,
                            SwitchboardClientException.TRANSPORT, "nothing arrived for " + options.idleTimeout().toMillis()
                            + "ms (idle timeout): the connection is presumed dead", true, failure);
                    stalled = false;
                    if (e.isCannotResume()) {
                        listener.onCannotResume(e);
                        end = e;
                        break;
                    }
                    if (!e.retryable()) {
                        end = e;
                        break;
                    }
                    Duration delay = backoff.delay(failures++);
                    listener.onReconnecting(e, delay);
                    Thread.sleep(delay);
                }
            }
        } catch (InterruptedException e) {
            // closed while waiting to reconnect
        } catch (ListenerFailure e) {
            end = e.getCause();
        } catch (Exception | Error e) {
            end = open ? e : null; // a read broken by close() is the close itself
        }
        open = false;
        if (watch != null) {
            watch.cancel(false);
        }
        onEnd.accept(this);
        listener.onEnd(end);
    }

    // ---- Sink: called on the loop thread by the reader

    @Override
    public Long after() {
        return after;
    }

    @Override
    public String epoch() {
        return epoch;
    }

    @Override
    public void connected(String epoch) {
        failures = 0;
        lastAlive = System.nanoTime();
        streaming = true;
        if (epoch != null) {
            this.epoch = epoch;
        }
    }

    @Override
    public void alive() {
        lastAlive = System.nanoTime();
    }

    @Override
    public void position(long next) {
        after = next;
    }

    @Override
    public void message(Message message) {
        if (!open || (after != null && message.offset() <= after)) {
            return; // already delivered before a reconnect: never twice
        }
        call(() -> listener.onMessage(message));
        after = message.offset();
    }

    @Override
    public void gap(Gap gap) {
        if (after != null && gap.first() - 1 <= after) {
            return;
        }
        call(() -> listener.onGap(gap));
        after = gap.first() - 1;
    }

    @Override
    public void onAbort(Runnable abort) {
        this.abort = abort;
        if (!open) {
            abort.run();
        }
    }

    private void call(Runnable listenerCall) {
        delivering = true;
        try {
            listenerCall.run();
        } catch (RuntimeException | Error e) {
            open = false;
            throw new ListenerFailure(e);
        } finally {
            lastAlive = System.nanoTime();
            delivering = false;
        }
    }

    /** Carries the listener's own exception past the reconnect logic: it ends the subscription. */
    private static final class ListenerFailure extends RuntimeException {
        ListenerFailure(Throwable cause) {
            super(cause);
        }
    }

    // ---- Subscription

    @Override
    public String topic() {
        return topic;
    }

    @Override
    public Transport transport() {
        return options.transport();
    }

    @Override
    public long lastOffset() {
        Long a = after;
        return a == null ? -1 : a;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        if (!open && !thread.isAlive()) {
            return;
        }
        open = false;
        abort.run();
        thread.interrupt();
        if (Thread.currentThread() != thread) {
            try {
                thread.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
