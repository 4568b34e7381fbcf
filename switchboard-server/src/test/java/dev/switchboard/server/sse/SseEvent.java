package dev.switchboard.server.sse;

import java.util.ArrayList;
import java.util.List;

/** One dispatched SSE event as a client sees it (comments and {@code retry:} left out). */
record SseEvent(String id, String event, String data) {

    /** Parses lines as the EventSource spec does: fields until a blank line; data lines joined with LF. */
    static List<SseEvent> parse(List<String> lines) {
        List<SseEvent> events = new ArrayList<>();
        String id = null;
        String event = null;
        List<String> data = new ArrayList<>();
        for (String line : lines) {
            if (line.isEmpty()) {
                if (!data.isEmpty()) {
                    events.add(new SseEvent(id, event == null ? "message" : event, String.join("\n", data)));
                }
                id = null;
                event = null;
                data.clear();
            } else if (line.startsWith("id: ")) {
                id = line.substring(4);
            } else if (line.startsWith("event: ")) {
                event = line.substring(7);
            } else if (line.startsWith("data: ")) {
                data.add(line.substring(6));
            } else if (line.equals("data:")) {
                data.add("");
            }
        }
        return events;
    }
}
