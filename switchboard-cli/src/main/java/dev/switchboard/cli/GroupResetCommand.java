package dev.switchboard.cli;

import dev.switchboard.client.GroupReset;
import dev.switchboard.client.SwitchboardClient;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code switchboard groups reset TOPIC GROUP --to earliest|latest | --offset N | --time ISO}. */
@Command(name = "reset",
        mixinStandardHelpOptions = true,
        description = {"Moves GROUP of TOPIC (creating it if needed) and drops its leases; prints its state after the move.",
                "Messages in flight are delivered again from the new position."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:moved", "1:the server refused or could not be reached (detail on stderr)", "2:invalid arguments"})
final class GroupResetCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions server;

    @Parameters(index = "0", paramLabel = "TOPIC", description = "the group's topic")
    String topic;

    @Parameters(index = "1", paramLabel = "GROUP", description = "the group to move")
    String group;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    @Option(names = "--json", description = "print the state as one JSON object")
    boolean json;

    /** Exactly one of the three. */
    static final class Target {
        @Option(names = "--to", paramLabel = "earliest|latest",
                description = "earliest: every retained message again; latest: only messages published from now on")
        String to;

        @Option(names = "--offset", paramLabel = "N", description = "deliver what comes after offset N (0: every retained message)")
        Long offset;

        @Option(names = "--time", paramLabel = "ISO", description = "from the first message at or after this instant, e.g. 2026-11-27T10:00:00Z")
        String time;
    }

    @Override
    public Integer call() throws Exception {
        return ClientOptions.run("groups reset", spec.commandLine().getErr(), () -> {
            GroupReset to = target();
            try (SwitchboardClient client = server.client()) {
                GroupsCommand.print(spec.commandLine().getOut(), List.of(client.resetGroup(topic, group, to)), json);
                return 0;
            }
        });
    }

    private GroupReset target() {
        if (target.offset != null) {
            if (target.offset < 0) {
                throw new IllegalArgumentException("--offset must be >= 0, got " + target.offset);
            }
            return GroupReset.afterOffset(target.offset);
        }
        if (target.time != null) {
            try {
                return GroupReset.at(Instant.parse(target.time));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("--time must be an ISO-8601 instant such as 2026-11-27T10:00:00Z, got '" + target.time + "'");
            }
        }
        return switch (target.to) {
            case "earliest" -> GroupReset.earliest();
            case "latest" -> GroupReset.latest();
            default -> throw new IllegalArgumentException("--to must be earliest or latest, got '" + target.to + "'");
        };
    }
}
