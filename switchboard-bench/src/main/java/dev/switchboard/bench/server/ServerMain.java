package dev.switchboard.bench.server;

import dev.switchboard.core.config.ConfigLoader;
import dev.switchboard.server.SwitchboardServer;
import java.util.HashMap;
import java.util.Map;

/**
 * The server process {@link ChildServer} starts: {@code key=value} settings (as {@code switchboard
 * server} takes them), none from the environment, so a bench run does not depend on the caller's shell.
 * Prints {@code listening on URL} once it accepts connections, then runs until killed.
 */
public final class ServerMain {
    private ServerMain() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> settings = new HashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            settings.put(a.substring(0, eq), a.substring(eq + 1));
        }
        SwitchboardServer server = SwitchboardServer.start(ConfigLoader.load(settings, Map.of()));
        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdown));
        System.out.println(ChildJvm.LISTENING + server.url());
        System.out.flush();
    }
}
