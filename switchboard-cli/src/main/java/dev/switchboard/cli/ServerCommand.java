package dev.switchboard.cli;

import dev.switchboard.core.config.ConfigException;
import dev.switchboard.core.config.ConfigLoader;
import dev.switchboard.core.config.ServerConfig;
import dev.switchboard.core.config.Setting;
import dev.switchboard.server.SwitchboardServer;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code switchboard server}: runs the server until SIGTERM or Ctrl-C, then stops gracefully. Its flags
 * are generated from {@link Setting}, so flags, environment variables and the config file never drift.
 */
@Command(name = "server",
        mixinStandardHelpOptions = true,
        abbreviateSynopsis = true,
        description = {"Runs the Switchboard server (HTTP/1.1 and HTTP/2, SSE, WebSocket, polling) on its embedded store.%n",
                "Every flag is also an environment variable (--max-body -> SWITCHBOARD_MAX_BODY) and a key in the "
                        + "--config file (max-body = 1MiB). Flags win over the environment, which wins over the file.%n"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped cleanly", "1:failed while running (e.g. the port is taken)", "2:invalid flags or settings"})
public final class ServerCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandSpec spec;

    static void addSettingFlags(CommandSpec spec) {
        for (Setting s : Setting.values()) {
            spec.addOption(OptionSpec.builder(s.flag())
                    .paramLabel(label(s))
                    .type(String.class)
                    .description(s.description() + (s.defaultValue().isEmpty() ? "" : " (default: " + s.defaultValue() + ")")
                            + "; env " + s.envName())
                    .build());
        }
    }

    private static String label(Setting s) {
        return switch (s) {
            case CONFIG, TLS_CERT, TLS_KEY, JWT_PUBLIC_KEY -> "FILE";
            case TLS_SELF_SIGNED, ALLOW_UNAUTHENTICATED -> "BOOL";
            case POSTGRES_URL -> "URL";
            case POSTGRES_SCHEMA, JWT_ISSUER, JWT_AUDIENCE -> "NAME";
            case AUTH -> "MODE";
            case JWT_SECRET -> "SECRET";
            case DATA -> "DIR";
            case BIND -> "ADDR";
            case STORE -> "KIND";
            case ALLOWED_ORIGINS -> "ORIGINS";
            default -> s.defaultValue().matches("\\d+") ? "N"
                    : s.defaultValue().matches("\\d+(ms|s|m|h|d)") ? "DURATION" : "SIZE";
        };
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        ServerConfig config;
        try {
            config = ConfigLoader.load(flags(), System.getenv());
        } catch (ConfigException e) {
            err.println("switchboard server: " + e.getMessage());
            err.flush();
            return 2;
        }
        SwitchboardServer server;
        try {
            server = SwitchboardServer.start(config);
        } catch (Exception e) {
            err.println("switchboard server: cannot start on " + config.bind() + ":" + config.port() + ": " + describe(e));
            err.flush();
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("sb-shutdown").unstarted(() -> {
            server.shutdown();
            stopped.countDown();
        }));
        stopped.await();
        return 0;
    }

    private Map<String, String> flags() {
        Map<String, String> flags = new LinkedHashMap<>();
        for (Setting s : Setting.values()) {
            OptionSpec o = spec.findOption(s.flag());
            String v = o == null ? null : o.getValue();
            if (v != null) {
                flags.put(s.key(), v);
            }
        }
        return flags;
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.toString() : root.getMessage();
    }
}
