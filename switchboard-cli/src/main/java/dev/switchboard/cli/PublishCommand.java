package dev.switchboard.cli;

import dev.switchboard.client.Durability;
import dev.switchboard.client.PublishResult;
import dev.switchboard.client.SwitchboardClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code switchboard publish TOPIC DATA}: one message, answered with its offset. */
@Command(name = "publish",
        mixinStandardHelpOptions = true,
        description = "Publishes DATA to TOPIC and prints the offset it got.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:published", "1:the server refused it or could not be reached (detail on stderr)", "2:invalid arguments"})
final class PublishCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions server;

    @Parameters(index = "0", paramLabel = "TOPIC", description = "topic to publish to")
    String topic;

    @Parameters(index = "1", paramLabel = "DATA", description = "the payload")
    String data;

    @Option(names = "--content-type", paramLabel = "TYPE",
            description = "payload type (default: application/json when DATA is one JSON value, else text/plain; charset=utf-8)")
    String contentType;

    @Option(names = "--durability", paramLabel = "sync|async", defaultValue = "sync",
            description = "sync answers after the fsync, async after the commit (default: ${DEFAULT-VALUE})")
    String durability;

    @Option(names = "--json", description = "print the server's answer as JSON")
    boolean json;

    @Override
    public Integer call() throws Exception {
        return ClientOptions.run("publish", spec.commandLine().getErr(), () -> {
            Durability d = switch (durability) {
                case "sync" -> Durability.SYNC;
                case "async" -> Durability.ASYNC;
                default -> throw new IllegalArgumentException("--durability must be sync or async, got '" + durability + "'");
            };
            try (SwitchboardClient client = server.client()) {
                PublishResult r = client.publish(topic, data.getBytes(StandardCharsets.UTF_8), type(), d);
                var out = spec.commandLine().getOut();
                out.println(json
                        ? ClientOptions.JSON.createObjectNode().put("topic", r.topic()).put("offset", r.offset()).put("time", String.valueOf(r.time())).toString()
                        : "published to " + r.topic() + " at offset " + r.offset());
                out.flush();
                return 0;
            }
        });
    }

    private String type() {
        if (contentType != null) {
            return contentType;
        }
        try {
            ClientOptions.JSON.readTree(data);
            return "application/json";
        } catch (IOException e) {
            return "text/plain; charset=utf-8";
        }
    }
}
