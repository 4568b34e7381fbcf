package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.client.internal.Json;
import dev.switchboard.client.internal.Requests;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The consumer-group calls behind {@link SwitchboardClient} (docs/api/groups.md): fetch under a lease, settle what
 * was fetched (ack, nack, release), read and move a group. Thread-safe.
 */
final class GroupCalls {
    private final Requests requests;

    GroupCalls(Requests requests) {
        this.requests = requests;
    }

    CompletableFuture<Fetched> fetch(String topic, String group, int max, Duration wait, Duration lease) {
        String query = Requests.query(Requests.param("max", max), Requests.param("wait", wait == null ? null : Json.wire(wait)),
                Requests.param("lease", lease == null ? null : Json.wire(lease)));
        HttpRequest request = requests.request(requests.uri(path(topic, group) + "/fetch", query), wait)
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        return requests.exchange(request, r -> Json.fetched(Json.body(r)));
    }

    CompletableFuture<GroupState> ack(String topic, String group, String lease, List<Long> offsets) {
        return post(topic, group, "/ack", Json.settle(lease, offsets, null, null));
    }

    CompletableFuture<GroupState> nack(String topic, String group, String lease, List<Long> offsets, Duration delay, String reason) {
        return post(topic, group, "/nack", Json.settle(lease, offsets, delay, reason));
    }

    CompletableFuture<GroupState> release(String topic, String group, String lease, List<Long> offsets) {
        return post(topic, group, "/release", Json.settle(lease, offsets, null, null));
    }

    CompletableFuture<GroupState> reset(String topic, String group, GroupReset to) {
        return post(topic, group, "/reset", Json.reset(to));
    }

    CompletableFuture<GroupState> state(String topic, String group) {
        return requests.get(path(topic, group), null, null, Json::groupState);
    }

    CompletableFuture<List<GroupState>> list(String topic) {
        return requests.get(Requests.topicPath(topic) + "/groups", null, null, j -> {
            List<GroupState> groups = new ArrayList<>();
            j.path("groups").forEach(g -> groups.add(Json.groupState(g)));
            return List.copyOf(groups);
        });
    }

    private CompletableFuture<GroupState> post(String topic, String group, String verb, JsonNode body) {
        return requests.postJson(path(topic, group) + verb, body, Json::groupState);
    }

    private static String path(String topic, String group) {
        return Requests.topicPath(topic) + "/groups/" + group;
    }
}
