package dev.switchboard.server.pipeline;

import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import java.util.Map;

/** A matched request: the path's variable parts (topic, consumer group) and the decoded query. */
public record RouteMatch(String topic, String group, Map<String, List<String>> query) {
    public static RouteMatch of(String topic, QueryStringDecoder decoder) {
        return new RouteMatch(topic, null, decoder.parameters());
    }

    public static RouteMatch of(String topic, String group, QueryStringDecoder decoder) {
        return new RouteMatch(topic, group, decoder.parameters());
    }

    /** The single value of a query parameter, or null when absent. */
    public String param(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.getFirst();
    }
}
