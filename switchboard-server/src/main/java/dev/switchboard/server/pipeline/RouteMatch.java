package dev.switchboard.server.pipeline;

import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import java.util.Map;

/** A matched request: the path's variable parts (topic, consumer group, job id) and the decoded query. */
public record RouteMatch(String topic, String group, String job, Map<String, List<String>> query) {
    public static RouteMatch of(String topic, QueryStringDecoder decoder) {
        return new RouteMatch(topic, null, null, decoder.parameters());
    }

    public static RouteMatch of(String topic, String group, QueryStringDecoder decoder) {
        return new RouteMatch(topic, group, null, decoder.parameters());
    }

    public static RouteMatch ofJob(String id, QueryStringDecoder decoder) {
        return new RouteMatch(null, null, id, decoder.parameters());
    }

    /** The single value of a query parameter, or null when absent. */
    public String param(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.getFirst();
    }
}
