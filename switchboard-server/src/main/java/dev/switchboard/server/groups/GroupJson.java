package dev.switchboard.server.groups;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.switchboard.core.groups.Fetched;
import dev.switchboard.core.store.GroupState;
import dev.switchboard.core.store.Leased.Delivery;
import dev.switchboard.server.api.MessageJson;
import java.io.IOException;
import java.time.Instant;

/** The JSON of consumer groups, the same over HTTP and WebSocket. */
public final class GroupJson {
    private GroupJson() {}

    /** {@code {"topic","group","committed","delivered","pending","in_flight","lag","last","oldest_unacked_time"?}} */
    public static void writeStateFields(JsonGenerator g, GroupState s, long nowMillis) throws IOException {
        g.writeStringField("topic", s.topic());
        g.writeStringField("group", s.group());
        g.writeNumberField("committed", s.committed());
        g.writeNumberField("delivered", s.delivered());
        g.writeNumberField("pending", s.pending());
        g.writeNumberField("in_flight", s.inFlight());
        g.writeNumberField("lag", s.lag());
        g.writeNumberField("last", s.last());
        if (s.oldestUnackedMillis() > 0) {
            g.writeStringField("oldest_unacked_time", Instant.ofEpochMilli(s.oldestUnackedMillis()).toString());
            g.writeNumberField("oldest_unacked_age_ms", Math.max(0, nowMillis - s.oldestUnackedMillis()));
        }
    }

    public static void writeState(JsonGenerator g, GroupState s, long nowMillis) throws IOException {
        g.writeStartObject();
        writeStateFields(g, s, nowMillis);
        g.writeEndObject();
    }

    /** One delivery: the message's fields plus {@code attempt} (1 on the first delivery). */
    public static void writeDeliveryFields(JsonGenerator g, Delivery d) throws IOException {
        MessageJson.writeFields(g, d.message());
        g.writeNumberField("attempt", d.attempt());
    }

    /** {@code {"topic","group","lease","lease_ms","messages":[...]}} */
    public static void writeFetched(JsonGenerator g, Fetched f) throws IOException {
        g.writeStartObject();
        g.writeStringField("topic", f.topic());
        g.writeStringField("group", f.group());
        g.writeStringField("lease", f.lease());
        g.writeNumberField("lease_ms", f.leaseMillis());
        g.writeArrayFieldStart("messages");
        for (Delivery d : f.deliveries()) {
            g.writeStartObject();
            writeDeliveryFields(g, d);
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }
}
