package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.client.internal.Json;
import dev.switchboard.client.internal.Requests;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The job calls behind {@link SwitchboardClient} (docs/api/jobs.md), for both sides: clients submit, read and cancel;
 * workers claim and then heartbeat, report progress, complete or fail under the claim's lease. Thread-safe.
 */
final class JobCalls {
    private final Requests requests;

    JobCalls(Requests requests) {
        this.requests = requests;
    }

    // ---- clients

    CompletableFuture<Job> submit(String type, Object payload, SubmitOptions options) {
        Objects.requireNonNull(options, "options");
        ObjectNode body = Json.submit(type, Json.tree(payload), options);
        Duration wait = options.preferWait() == null || options.preferWait().toSeconds() < 1 ? null
                : Duration.ofSeconds(options.preferWait().toSeconds()); // Prefer: wait is in whole seconds
        HttpRequest.Builder request = requests.request(requests.uri("/v1/jobs", null), wait)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
        if (options.idempotencyKey() != null) {
            request.header("Idempotency-Key", options.idempotencyKey());
        }
        if (wait != null) {
            request.header("Prefer", "wait=" + wait.toSeconds());
        }
        return requests.exchange(request.build(), r -> Json.job(Json.body(r)));
    }

    CompletableFuture<Job> job(String id, Duration wait, Long afterVersion) {
        String query = Requests.query(Requests.param("wait", wait == null ? null : Json.wire(wait)),
                Requests.param("version", wait == null ? null : afterVersion));
        return requests.get(path(id), query, wait, Json::job);
    }

    CompletableFuture<Job> cancel(String id) {
        return requests.postJson(path(id) + "/cancel", Json.object(), Json::job);
    }

    // ---- workers

    CompletableFuture<JobClaim> claim(String type, Duration wait, Duration lease) {
        String query = Requests.query(Requests.param("type", type), Requests.param("wait", wait == null ? null : Json.wire(wait)),
                Requests.param("lease", lease == null ? null : Json.wire(lease)));
        HttpRequest request = requests.request(requests.uri("/v1/workers/claim", query), wait)
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        return requests.exchange(request, r -> r.statusCode() == 204 ? null : Json.claim(Json.body(r)));
    }

    /** Up to {@code max} claims in one request ({@code max=N}); empty when the wait ended with nothing to do. */
    CompletableFuture<List<JobClaim>> claim(String type, int max, Duration wait, Duration lease) {
        String query = Requests.query(Requests.param("type", type), Requests.param("max", max),
                Requests.param("wait", wait == null ? null : Json.wire(wait)), Requests.param("lease", lease == null ? null : Json.wire(lease)));
        HttpRequest request = requests.request(requests.uri("/v1/workers/claim", query), wait)
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        return requests.exchange(request, r -> r.statusCode() == 204 ? List.of() : Json.claims(Json.body(r)));
    }

    CompletableFuture<Job> heartbeat(String id, String lease) {
        return requests.postJson(path(id) + "/heartbeat", Json.object().put("lease", lease), Json::job);
    }

    CompletableFuture<Job> progress(String id, String lease, int percent, String message) {
        ObjectNode body = Json.object().put("lease", lease).put("percent", percent);
        if (message != null) {
            body.put("message", message);
        }
        return requests.postJson(path(id) + "/progress", body, Json::job);
    }

    CompletableFuture<Job> complete(String id, String lease, Object result) {
        ObjectNode body = Json.object().put("lease", lease);
        JsonNode r = Json.tree(result);
        if (r != null && !r.isNull()) {
            body.set("result", r);
        }
        return requests.postJson(path(id) + "/complete", body, Json::job);
    }

    CompletableFuture<Job> fail(String id, String lease, String error, boolean retry) {
        return requests.postJson(path(id) + "/fail", Json.object().put("lease", lease).put("error", error).put("retry", retry), Json::job);
    }

    private static String path(String id) {
        return "/v1/jobs/" + URLEncoder.encode(Objects.requireNonNull(id, "id"), StandardCharsets.UTF_8);
    }
}
