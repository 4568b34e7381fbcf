package dev.switchboard.client.internal;

import dev.switchboard.client.ConsumeOptions;
import dev.switchboard.client.GroupConsumer;
import dev.switchboard.client.GroupHandler;
import dev.switchboard.client.GroupMessage;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.client.SwitchboardClientException;
import dev.switchboard.client.Transport;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The one loop behind every {@link GroupConsumer}: run the transport's {@link ConsumerReader}, and on any retryable
 * failure wait a jittered backoff and run it again (the group's committed position lives on the server, so there
 * is nothing to resume but the connection). Runs on one virtual thread per consumer; that thread alone calls the
 * handler. Not API.
 */
public final class ConsumerLoop implements GroupConsumer {
    /** How long close() lets the handler's current call and its ack finish before breaking the connection. */
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(5);
    /** The server keeps at most this many characters of a nack's reason. */
    private static final int MAX_REASON = 1_000;

    private final String topic;
    private final String group;
    private final ConsumeOptions options;
    private final GroupHandler handler;
    private final Consumer<GroupConsumer> onEnd;
    private final ConsumerReader reader;
    private final Backoff backoff;
    private final Thread thread;
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile boolean open = true;
    private volatile Runnable wake = () -> { }; // ends the reader's wait so it gives back and returns
    private volatile Runnable abort = () -> { }; // breaks the reader's connection
    private int failures;

    public ConsumerLoop(SwitchboardClient client, Requests requests, String topic, String group, ConsumeOptions options,
            GroupHandler handler, Consumer<GroupConsumer> onEnd) {
        this.topic = topic;
        this.group = group;
        this.options = options;
        this.handler = handler;
        this.onEnd = onEnd;
        this.backoff = new Backoff(options.minBackoff(), options.maxBackoff());
        this.reader = options.transport() == Transport.WEBSOCKET
                ? new WsConsumer(requests, topic, group, options)
                : new FetchConsumer(client, topic, group, options);
        this.thread = Thread.ofVirtual().name("sb-client-consumer-" + topic + "-" + group).unstarted(this::loop);
    }

    public void start() {
        thread.start();
    }

    private void loop() {
        Throwable end = null;
        try {
            while (open) {
                try {
                    reader.run(this);
                } catch (SwitchboardClientException e) {
                    if (!open) {
                        break;
                    }
                    if (!e.retryable()) {
                        end = e;
                        break;
                    }
                    Duration delay = backoff.delay(failures++);
                    handler.onReconnecting(e, delay);
                    closed.await(delay.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
        } catch (InterruptedException e) {
            // closed while waiting to reconnect
        } catch (HandlerError e) {
            end = e.getCause();
        } catch (Exception | Error e) {
            end = open ? e : null; // a connection broken by close() is the close itself
        }
        open = false;
        onEnd.accept(this);
        handler.onEnd(end);
    }

    // ---- for the readers, on the loop thread

    public ConsumeOptions options() {
        return options;
    }

    /** The server accepted the connection: the next failure starts the backoff over. */
    public void connected() {
        failures = 0;
    }

    /** Runs the handler: null when it returned (ack), else the reason to nack with. An {@link Error} ends the consumer. */
    public String handle(GroupMessage message) {
        try {
            handler.handle(message);
            return null;
        } catch (Exception e) {
            String reason = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getName() : e.getMessage();
            return reason.length() <= MAX_REASON ? reason : reason.substring(0, MAX_REASON);
        } catch (Error e) {
            open = false;
            throw new HandlerError(e);
        }
    }

    /** An ack or a nack the server refused; the consumer goes on. */
    public void problem(SwitchboardClientException problem) {
        handler.onProblem(problem);
    }

    /** How close() reaches the current connection: {@code wake} asks the reader to wind down, {@code abort} forces it. */
    public void onClose(Runnable wake, Runnable abort) {
        this.wake = wake;
        this.abort = abort;
        if (!open) {
            wake.run();
        }
    }

    /** Carries the handler's {@link Error} past the reconnect logic: it ends the consumer. */
    private static final class HandlerError extends RuntimeException {
        HandlerError(Error cause) {
            super(cause);
        }
    }

    // ---- GroupConsumer

    @Override
    public String topic() {
        return topic;
    }

    @Override
    public String group() {
        return group;
    }

    @Override
    public Transport transport() {
        return options.transport();
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
        closed.countDown();
        wake.run();
        if (Thread.currentThread() == thread) {
            return; // the handler closed its own consumer: the loop winds down when it returns
        }
        try {
            if (!thread.join(CLOSE_GRACE)) {
                abort.run();
                thread.interrupt();
                thread.join(Duration.ofSeconds(5));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
