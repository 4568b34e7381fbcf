package dev.switchboard.bench;

import dev.switchboard.bench.wire.Subscriber;
import dev.switchboard.bench.wire.Subscribers;
import java.util.List;

/** The push transports the fan-out, connections and ceiling scenarios compare: {@code sse} and {@code ws}. */
final class Transports {
    static final List<String> ALL = List.of("sse", "ws");

    private Transports() {}

    static void check(List<String> transports) {
        for (String t : transports) {
            if (!ALL.contains(t)) {
                throw new IllegalArgumentException("unknown transport '" + t + "': use sse or ws");
            }
        }
    }

    static Subscriber open(Subscribers s, String transport, String topic, long after) {
        return transport.equals("sse") ? s.sse(topic, after) : s.ws(topic, after);
    }
}
