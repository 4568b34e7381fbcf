package dev.switchboard.client.internal;

import dev.switchboard.client.Message;
import dev.switchboard.client.Page;
import dev.switchboard.client.SwitchboardClient;
import java.time.Duration;

/**
 * Long polling ({@code holdFor} set, sent as {@code wait}: the server holds each read until a message exists) or short polling (reads
 * every {@code interval} while nothing is new). A full page is followed by the next read at once.
 */
public record PollReader(SwitchboardClient client, String topic, int limit, Duration holdFor, Duration interval)
        implements Reader {

    @Override
    public void run(Sink sink) throws Exception {
        while (true) {
            var call = client.readAsync(topic, sink.after(), limit, holdFor, sink.epoch());
            sink.onAbort(() -> call.cancel(true));
            Page page = Requests.await(call);
            sink.connected(page.epoch());
            if (sink.after() == null) {
                sink.position(page.next());
            }
            if (page.gap() != null) {
                sink.gap(page.gap());
            }
            for (Message m : page.messages()) {
                sink.message(m);
            }
            if (holdFor == null && page.messages().size() < limit) {
                Thread.sleep(interval); // short polling: ask again after the interval (close interrupts it)
            }
        }
    }
}
