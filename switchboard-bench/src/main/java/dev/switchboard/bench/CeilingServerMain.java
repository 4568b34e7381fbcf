package dev.switchboard.bench;

import dev.switchboard.bench.server.ChildJvm;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * The process {@link CeilingProcess} starts: a {@link CeilingServer} with the send buffer given as the
 * only argument. Prints {@code listening on URL}; the line {@value #RELEASE} on standard input starts the
 * deliveries; the end of standard input (the bench closed it or died) stops the process.
 */
public final class CeilingServerMain {
    static final String RELEASE = "release";

    private CeilingServerMain() {}

    public static void main(String[] args) throws Exception {
        try (CeilingServer server = new CeilingServer(Integer.parseInt(args[0]));
                BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII))) {
            System.out.println(ChildJvm.LISTENING + server.url());
            System.out.flush();
            String line;
            while ((line = commands.readLine()) != null) {
                if (line.equals(RELEASE)) {
                    server.release();
                }
            }
        }
    }
}
