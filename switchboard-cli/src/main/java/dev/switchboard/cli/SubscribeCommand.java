package dev.switchboard.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.client.Gap;
import dev.switchboard.client.Message;
import dev.switchboard.client.SubscribeOptions;
import dev.switchboard.client.Subscription;
import dev.switchboard.client.SubscriptionListener;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.client.SwitchboardClientException;
import dev.switchboard.client.Transport;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code switchboard subscribe TOPIC}: prints messages as they come, over the transport {@code --via} names,
 * reconnecting and resuming on its own (reconnects are noted on stderr); {@code --max} ends it.
 */
@Command(name = "subscribe",
        mixinStandardHelpOptions = true,
        description = "Prints TOPIC's messages as they are published (offset, then payload), until Ctrl-C or --max.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:--max messages printed", "1:the server refused, cannot resume, or could not be reached at start (detail on stderr)",
                "2:invalid arguments"})
final class SubscribeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions server;

    @Parameters(index = "0", paramLabel = "TOPIC", description = "topic to follow")
    String topic;

    @Option(names = "--via", paramLabel = "sse|ws|long-poll|short-poll", defaultValue = "sse",
            description = "transport (default: ${DEFAULT-VALUE})")
    String via;

    @Option(names = "--after", paramLabel = "N", description = "start after offset N (0: from the oldest retained); default: only new messages")
    Long after;

    @Option(names = "--max", paramLabel = "N", description = "exit after N messages")
    Integer max;

    @Option(names = "--json", description = "one JSON object per message: topic, offset, time, data (+ encoding, content_type)")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        return ClientOptions.run("subscribe", err, () -> {
            SubscribeOptions options = SubscribeOptions.of(transport());
            if (after != null) {
                options = options.after(after);
            }
            if (max != null && max < 1) {
                throw new IllegalArgumentException("--max must be at least 1, got " + max);
            }
            try (SwitchboardClient client = server.client()) {
                // Fail fast (exit 1) on a bad topic, a position that cannot resume, or no server at all;
                // once running, the subscription reconnects on its own.
                client.read(topic, after, 1);
                return follow(client, options);
            }
        });
    }

    private int follow(SwitchboardClient client, SubscribeOptions options) throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        CountDownLatch done = new CountDownLatch(1);
        AtomicInteger printed = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (Subscription s = client.subscribe(topic, options, new SubscriptionListener() {
            @Override
            public void onMessage(Message m) {
                if (max != null && printed.get() >= max) {
                    return; // the rest of a page that arrived with the last one wanted
                }
                out.println(json ? json(m) : m.offset() + " " + m.text());
                out.flush();
                if (max != null && printed.incrementAndGet() >= max) {
                    done.countDown();
                }
            }

            @Override
            public void onGap(Gap gap) {
                err.println("switchboard subscribe: offsets " + (gap.after() + 1) + ".." + (gap.first() - 1)
                        + " were removed by retention before they could be read");
                err.flush();
            }

            @Override
            public void onReconnecting(SwitchboardClientException cause, Duration delay) {
                err.println("switchboard subscribe: " + cause.detail() + "; reconnecting in " + delay.toMillis() + "ms");
                err.flush();
            }

            @Override
            public void onEnd(Throwable cause) {
                failure.set(cause);
                done.countDown();
            }
        })) {
            done.await();
        }
        Throwable cause = failure.get();
        if (cause instanceof SwitchboardClientException e) {
            throw e;
        }
        if (cause != null) {
            err.println("switchboard subscribe: " + cause);
            err.flush();
            return 1;
        }
        return 0;
    }

    private Transport transport() {
        return switch (via) {
            case "sse" -> Transport.SSE;
            case "ws" -> Transport.WEBSOCKET;
            case "long-poll" -> Transport.LONG_POLL;
            case "short-poll" -> Transport.SHORT_POLL;
            default -> throw new IllegalArgumentException("--via must be sse, ws, long-poll or short-poll, got '" + via + "'");
        };
    }

    private String json(Message m) {
        ObjectNode o = ClientOptions.JSON.createObjectNode().put("topic", m.topic()).put("offset", m.offset());
        if (m.time() != null) {
            o.put("time", m.time().toString());
        }
        o.set("data", m.data());
        if (m.encoding() != null) {
            o.put("encoding", m.encoding());
        }
        if (m.contentType() != null) {
            o.put("content_type", m.contentType());
        }
        return o.toString();
    }
}
