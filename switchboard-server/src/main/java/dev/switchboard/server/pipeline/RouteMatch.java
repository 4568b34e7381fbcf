package dev.switchboard.server.pipeline;

import dev.switchboard.server.auth.Principal;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import java.util.Map;

/**
 * A matched request: the path's variable parts (topic, consumer group, job id), the decoded query, and
 * who is calling ({@link Principal#NOBODY} until the router has authenticated the request).
 */
public record RouteMatch(String topic, String group, String job, Map<String, List<String>> query, Principal principal) {
    public RouteMatch(String topic, String group, String job, Map<String, List<String>> query) {
        this(topic, group, job, query, Principal.NOBODY);
    }

    public static RouteMatch of(String topic, QueryStringDecoder decoder) {
        return new RouteMatch(topic, null, null, decoder.parameters());
    }

    public static RouteMatch of(String topic, String group, QueryStringDecoder decoder) {
        return new RouteMatch(topic, group, null, decoder.parameters());
    }

    public static RouteMatch ofJob(String id, QueryStringDecoder decoder) {
        return new RouteMatch(null, null, id, decoder.parameters());
    }

    RouteMatch as(Principal who) {
        return new RouteMatch(topic, group, job, query, who);
    }

    /** The single value of a query parameter, or null when absent. */
    public String param(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.getFirst();
    }
}
