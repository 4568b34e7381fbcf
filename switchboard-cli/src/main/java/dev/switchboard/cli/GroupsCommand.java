package dev.switchboard.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.client.GroupState;
import dev.switchboard.client.SwitchboardClient;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code switchboard groups TOPIC [GROUP]}: the consumer groups of a topic (or one of them) with their committed
 * offset, lag and messages in flight; {@code switchboard groups reset …} moves one (see {@link GroupResetCommand}).
 */
@Command(name = "groups",
        mixinStandardHelpOptions = true,
        description = {"Lists TOPIC's consumer groups (or shows GROUP): committed offset, last offset, lag, in flight, pending, "
                + "age of the oldest unacknowledged message.", "Moving a group: switchboard groups reset --help"},
        subcommands = GroupResetCommand.class,
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:listed", "1:the server refused (e.g. 404: no such group) or could not be reached (detail on stderr)",
                "2:invalid arguments"})
final class GroupsCommand implements Callable<Integer> {
    private static final String ROW = "%-30s %12s %12s %12s %10s %10s %14s%n";

    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions server;

    // Optional for picocli (so that "groups reset …" needs no TOPIC before it), required by call().
    @Parameters(index = "0", arity = "0..1", paramLabel = "TOPIC", description = "topic whose groups to list")
    String topic;

    @Parameters(index = "1", arity = "0..1", paramLabel = "GROUP", description = "show only this group")
    String group;

    @Option(names = "--json", description = "one JSON object per group, with the API's field names")
    boolean json;

    @Override
    public Integer call() throws Exception {
        return ClientOptions.run("groups", spec.commandLine().getErr(), () -> {
            if (topic == null) {
                throw new IllegalArgumentException("TOPIC is required: switchboard groups TOPIC [GROUP] (see --help)");
            }
            try (SwitchboardClient client = server.client()) {
                List<GroupState> groups = group == null ? client.groups(topic) : List.of(client.groupState(topic, group));
                print(spec.commandLine().getOut(), groups, json);
                return 0;
            }
        });
    }

    /** The table (or JSON lines) of {@code groups}; {@code groups reset} prints its one group the same way. */
    static void print(PrintWriter out, List<GroupState> groups, boolean json) {
        if (!json) {
            out.printf(ROW, "GROUP", "COMMITTED", "LAST", "LAG", "IN_FLIGHT", "PENDING", "OLDEST_UNACKED");
        }
        for (GroupState g : groups) {
            if (json) {
                out.println(json(g));
            } else {
                out.printf(ROW, g.group(), g.committed(), g.last(), g.lag(), g.inFlight(), g.pending(),
                        g.oldestUnackedAge() == null ? "-" : g.oldestUnackedAge().toMillis() + "ms");
            }
        }
        out.flush();
    }

    static ObjectNode json(GroupState g) {
        ObjectNode o = ClientOptions.JSON.createObjectNode().put("topic", g.topic()).put("group", g.group())
                .put("committed", g.committed()).put("delivered", g.delivered()).put("pending", g.pending())
                .put("in_flight", g.inFlight()).put("lag", g.lag()).put("last", g.last());
        if (g.oldestUnackedTime() != null) {
            o.put("oldest_unacked_time", g.oldestUnackedTime().toString());
        }
        if (g.oldestUnackedAge() != null) {
            o.put("oldest_unacked_age_ms", g.oldestUnackedAge().toMillis());
        }
        return o;
    }
}
