package dev.switchboard.server.ws;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.config.Durations;
import dev.switchboard.core.error.ErrorCode;
import dev.switchboard.core.error.SwitchboardException;
import dev.switchboard.core.groups.GroupConsumer;
import dev.switchboard.core.groups.GroupSession;
import dev.switchboard.core.store.GroupState;
import dev.switchboard.core.store.Leased.Delivery;
import dev.switchboard.server.ServerContext;
import dev.switchboard.server.api.MessageJson;
import dev.switchboard.server.groups.GroupJson;
import dev.switchboard.server.groups.SettleBody;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The consumer groups one WebSocket consumes: {@code consume}, {@code ack}, {@code nack} and
 * {@code stop} ops turned into {@link GroupConsumer} calls, and leased messages turned into frames
 * that count against the socket's outbound budget like any other. The map is event-loop confined.
 */
final class WsGroupConsumers {
    private final ServerContext context;
    private final WebSocketSession session;
    private final Map<String, Consumer> consumers = new HashMap<>();

    WsGroupConsumers(ServerContext context, WebSocketSession session) {
        this.context = context;
        this.session = session;
    }

    int count() {
        return consumers.size();
    }

    /** {@code {"op":"consume","topic","group","max_in_flight"?,"lease"?,"id"?}} (event loop). */
    void consume(String topic, String group, JsonNode req, JsonNode id) {
        String key = key(topic, group);
        if (consumers.containsKey(key)) {
            session.fail(id, new SwitchboardException(ErrorCode.BAD_REQUEST, "this socket already consumes group '" + group + "' of '"
                    + topic + "'; stop it first"));
            return;
        }
        int maxInFlight = maxInFlight(req.get("max_in_flight"));
        Duration lease = lease(req.get("lease"));
        Consumer c = new Consumer(topic, group);
        c.consumer = context.hub().groups().consume(topic, group, maxInFlight, lease, c);
        consumers.put(key, c);
        // Once the group exists (its first lease made it), so a status request after this reply finds it. The
        // first lease completes started() before it delivers, and both go through the event loop in that order.
        c.consumer.started().whenComplete((ok, error) -> {
            if (error == null) {
                session.onLoop(() -> session.send(reply("consuming", topic, group, id).put("max_in_flight", maxInFlight)));
            }
        });
    }

    /** {@code ack} or {@code nack} with {@code "offsets"} (plus {@code "delay"}, {@code "reason"} for a nack) (event loop). */
    void settle(String topic, String group, JsonNode req, JsonNode id, boolean ack) {
        Consumer c = consumers.get(key(topic, group));
        if (c == null) {
            throw new SwitchboardException(ErrorCode.BAD_REQUEST, "this socket does not consume group '" + group + "' of '" + topic + "'");
        }
        SettleBody body = SettleBody.parse(req);
        CompletableFuture<GroupState> done = ack ? c.consumer.ack(body.offsets()) : c.consumer.nack(body.offsets(), body.delay(), body.reason());
        done.whenComplete((state, error) -> session.onLoop(() -> {
            if (error != null) {
                session.fail(id, error, topic, group);
            } else if (id != null) {
                session.send(reply(ack ? "acked" : "nacked", topic, group, id).put("committed", state.committed()));
            }
        }));
    }

    /** {@code {"op":"stop","topic","group"}}: the held messages go back to the group at once (event loop). */
    void stop(String topic, String group, JsonNode id) {
        Consumer c = consumers.remove(key(topic, group));
        if (c == null) {
            throw new SwitchboardException(ErrorCode.BAD_REQUEST, "this socket does not consume group '" + group + "' of '" + topic + "'");
        }
        c.stop();
        session.send(reply("stopped", topic, group, id));
    }

    /** The socket is gone (event loop). */
    void closed() {
        consumers.values().forEach(c -> c.consumer.connectionLost());
        consumers.clear();
    }

    private com.fasterxml.jackson.databind.node.ObjectNode reply(String type, String topic, String group, JsonNode id) {
        return WsFrames.reply(type, topic, id).put("group", group);
    }

    private int maxInFlight(JsonNode v) {
        if (v == null || v.isNull()) {
            return Math.min(100, context.config().groups().maxInFlight());
        }
        if (!v.canConvertToExactIntegral() || !v.canConvertToInt()) {
            throw new SwitchboardException(ErrorCode.BAD_REQUEST, "\"max_in_flight\" must be a whole number, not " + v);
        }
        return v.asInt(); // the range is checked by the hub, with the cap in the message
    }

    private static Duration lease(JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        try {
            return Durations.parse(v.asText());
        } catch (IllegalArgumentException e) {
            throw new SwitchboardException(ErrorCode.BAD_REQUEST, "\"lease\" is invalid: " + e.getMessage());
        }
    }

    private static String key(String topic, String group) {
        return topic + '\n' + group;
    }

    /** One consumed group: the hub's consumer pushes here, on its virtual thread. */
    private final class Consumer implements GroupSession {
        final String topic;
        final String group;
        GroupConsumer consumer;
        volatile boolean stopped;

        Consumer(String topic, String group) {
            this.topic = topic;
            this.group = group;
        }

        void stop() {
            stopped = true;
            consumer.stop();
        }

        @Override
        public void deliver(GroupConsumer from, List<Delivery> deliveries) {
            byte[][] frames = new byte[deliveries.size()][];
            for (int i = 0; i < frames.length; i++) {
                frames[i] = WsFrames.textFrame(encode(deliveries.get(i)));
            }
            session.deliverFrames(frames, "group '" + group + "' of '" + topic + "'", deliveries.getFirst().offset() - 1);
        }

        @Override
        public boolean isOpen() {
            return !stopped && session.isOpen();
        }

        @Override
        public void failed(GroupConsumer from, SwitchboardException error) {
            session.onLoop(() -> {
                consumers.remove(key(topic, group), this);
                session.fail(null, error, topic, group);
            });
        }

        private byte[] encode(Delivery d) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(256);
            try (JsonGenerator g = MessageJson.JSON.createGenerator(out)) {
                g.writeStartObject();
                g.writeStringField("type", "message");
                g.writeStringField("topic", topic);
                g.writeStringField("group", group);
                GroupJson.writeDeliveryFields(g, d);
                g.writeEndObject();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out.toByteArray();
        }
    }
}
