package dev.switchboard.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Bytes Linux holds for the established TCP sockets of one port ({@code /proc/net/tcp} and
 * {@code tcp6}): on the server's ends the send queue, on the clients' ends the receive queue.
 */
final class KernelQueues {
    private static final List<Path> TABLES = List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6"));
    private static final String ESTABLISHED = "01";

    private KernelQueues() {}

    static boolean readable() {
        return TABLES.stream().allMatch(Files::isReadable);
    }

    /** The largest queue any established socket of {@code port} holds now, in bytes. */
    static long largest(int port) throws IOException {
        String suffix = String.format(":%04X", port);
        long largest = 0;
        for (Path table : TABLES) {
            try (Stream<String> lines = Files.lines(table)) {
                for (String line : (Iterable<String>) lines.skip(1)::iterator) {
                    // sl local_address rem_address st tx_queue:rx_queue ...
                    String[] f = line.strip().split("\\s+");
                    if (!f[3].equals(ESTABLISHED)) {
                        continue;
                    }
                    String[] queues = f[4].split(":");
                    if (f[1].endsWith(suffix)) {
                        largest = Math.max(largest, Long.parseLong(queues[0], 16));
                    } else if (f[2].endsWith(suffix)) {
                        largest = Math.max(largest, Long.parseLong(queues[1], 16));
                    }
                }
            }
        }
        return largest;
    }
}
