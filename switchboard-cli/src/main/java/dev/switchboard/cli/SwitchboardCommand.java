package dev.switchboard.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** {@code switchboard}: the entry point of the command line; each verb is a subcommand. */
@Command(name = "switchboard",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "One server for every way a backend talks to its clients.",
        subcommands = {ServerCommand.class, PublishCommand.class, SubscribeCommand.class, TopicsCommand.class,
                GroupsCommand.class, ConsumeCommand.class, JobCommand.class, BenchCommand.class,
                SidecarCommand.class,
                CommandLine.HelpCommand.class,
                // bash/zsh completion: source <(switchboard generate-completion)
                AutoComplete.GenerateCompletion.class})
public final class SwitchboardCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        Logging.configure();
        System.exit(commandLine().execute(args));
    }

    /** The command tree, with the server's settings added as flags from the one settings table. */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new SwitchboardCommand());
        ServerCommand.addSettingFlags(cli.getSubcommands().get("server").getCommandSpec());
        return cli;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
