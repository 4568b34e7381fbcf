package dev.switchboard.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.client.ConsumeOptions;
import dev.switchboard.client.GroupConsumer;
import dev.switchboard.client.GroupHandler;
import dev.switchboard.client.GroupMessage;
import dev.switchboard.client.Message;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.client.SwitchboardClientException;
import dev.switchboard.client.Transport;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
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
 * {@code switchboard consume TOPIC GROUP}: a member of a consumer group that prints each message it is given and
 * acknowledges it, until Ctrl-C or {@code --max}. Stopping hands what it took and did not print back to the group.
 */
@Command(name = "consume",
        mixinStandardHelpOptions = true,
        description = {"Joins GROUP of TOPIC: prints each message it is given (offset, then payload) and acknowledges it, "
                + "until Ctrl-C or --max.", "Other members of the group get the other messages; a message is printed again "
                + "(with attempt > 1) only if its ack was lost."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:--max messages printed and acknowledged", "1:the server refused or could not be reached at start (detail on stderr)",
                "2:invalid arguments"})
final class ConsumeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions server;

    @Parameters(index = "0", paramLabel = "TOPIC", description = "topic to consume")
    String topic;

    @Parameters(index = "1", paramLabel = "GROUP", description = "consumer group to join (created at the topic's start the first time)")
    String group;

    @Option(names = "--via", paramLabel = "ws|long-poll", defaultValue = "ws",
            description = "ws: messages pushed within a prefetch window; long-poll: fetches (default: ${DEFAULT-VALUE})")
    String via;

    @Option(names = "--max", paramLabel = "N", description = "exit after N messages")
    Integer max;

    @Option(names = "--max-in-flight", paramLabel = "N", defaultValue = "100",
            description = "most messages taken and not yet acknowledged (ws), or per fetch (long-poll) (default: ${DEFAULT-VALUE})")
    int maxInFlight;

    @Option(names = "--json", description = "one JSON object per message: topic, group, offset, time, attempt, data (+ encoding, content_type)")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        return ClientOptions.run("consume", err, () -> {
            if (max != null && max < 1) {
                throw new IllegalArgumentException("--max must be at least 1, got " + max);
            }
            if (maxInFlight < 1) {
                throw new IllegalArgumentException("--max-in-flight must be at least 1, got " + maxInFlight);
            }
            // Never take more than --max: what is taken and not printed goes back with one more attempt counted.
            ConsumeOptions options = ConsumeOptions.of(transport()).maxInFlight(max == null ? maxInFlight : Math.min(max, maxInFlight));
            try (SwitchboardClient client = server.client()) {
                // Fail fast (exit 1) on a bad topic or no server at all; once running, the consumer reconnects on its own.
                client.groups(topic);
                return consume(client, options);
            }
        });
    }

    private int consume(SwitchboardClient client, ConsumeOptions options) throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        CountDownLatch done = new CountDownLatch(1);
        AtomicInteger printed = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CompletableFuture<GroupConsumer> self = new CompletableFuture<>();
        GroupConsumer consumer = client.consume(topic, group, options, new GroupHandler() {
            @Override
            public void handle(GroupMessage m) {
                out.println(json ? json(m) : m.offset() + " " + m.text());
                out.flush();
                if (max != null && printed.incrementAndGet() >= max) {
                    self.join().close(); // this one is still acknowledged; nothing more is printed
                }
            }

            @Override
            public void onProblem(SwitchboardClientException problem) {
                err.println("switchboard consume: " + problem.status() + " " + problem.code() + ": " + problem.detail());
                err.flush();
            }

            @Override
            public void onReconnecting(SwitchboardClientException cause, Duration delay) {
                err.println("switchboard consume: " + cause.detail() + "; reconnecting in " + delay.toMillis() + "ms");
                err.flush();
            }

            @Override
            public void onEnd(Throwable cause) {
                failure.set(cause);
                done.countDown();
            }
        });
        self.complete(consumer);
        // Ctrl-C: give back what was taken and not printed now, rather than when its lease runs out.
        Thread hook = new Thread(consumer::close, "switchboard-consume-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            done.await();
        } finally {
            consumer.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down already: the hook is running
            }
        }
        Throwable cause = failure.get();
        if (cause instanceof SwitchboardClientException e) {
            throw e;
        }
        if (cause != null) {
            err.println("switchboard consume: " + cause);
            err.flush();
            return 1;
        }
        return 0;
    }

    private Transport transport() {
        return switch (via) {
            case "ws" -> Transport.WEBSOCKET;
            case "long-poll" -> Transport.LONG_POLL;
            default -> throw new IllegalArgumentException("--via must be ws or long-poll, got '" + via + "'");
        };
    }

    private static String json(GroupMessage gm) {
        Message m = gm.message();
        ObjectNode o = ClientOptions.JSON.createObjectNode().put("topic", m.topic()).put("group", gm.group())
                .put("offset", m.offset());
        if (m.time() != null) {
            o.put("time", m.time().toString());
        }
        o.put("attempt", gm.attempt());
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
