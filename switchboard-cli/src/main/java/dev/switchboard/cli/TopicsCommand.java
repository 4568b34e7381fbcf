package dev.switchboard.cli;

import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.client.TopicSummary;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code switchboard topics}: every topic with its retained range. */
@Command(name = "topics",
        mixinStandardHelpOptions = true,
        description = "Lists the topics with their first and last offsets and message counts.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:listed", "1:the server could not be reached or refused (detail on stderr)", "2:invalid arguments"})
final class TopicsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions server;

    @Option(names = "--json", description = "one JSON object per topic")
    boolean json;

    @Override
    public Integer call() throws Exception {
        return ClientOptions.run("topics", spec.commandLine().getErr(), () -> {
            try (SwitchboardClient client = server.client()) {
                List<TopicSummary> topics = client.topics();
                var out = spec.commandLine().getOut();
                if (!json) {
                    out.printf("%-40s %12s %12s %12s%n", "TOPIC", "FIRST", "LAST", "COUNT");
                }
                for (TopicSummary t : topics) {
                    out.println(json
                            ? ClientOptions.JSON.createObjectNode().put("topic", t.topic()).put("first", t.first()).put("last", t.last()).put("count", t.count()).toString()
                            : String.format("%-40s %12d %12d %12d", t.topic(), t.first(), t.last(), t.count()));
                }
                out.flush();
                return 0;
            }
        });
    }
}
