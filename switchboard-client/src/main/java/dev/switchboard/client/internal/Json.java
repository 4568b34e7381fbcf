package dev.switchboard.client.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.client.Fetched;
import dev.switchboard.client.Gap;
import dev.switchboard.client.GroupMessage;
import dev.switchboard.client.GroupReset;
import dev.switchboard.client.GroupState;
import dev.switchboard.client.Job;
import dev.switchboard.client.JobClaim;
import dev.switchboard.client.JobProgress;
import dev.switchboard.client.JobStatus;
import dev.switchboard.client.Message;
import dev.switchboard.client.Page;
import dev.switchboard.client.SubmitOptions;
import dev.switchboard.client.SwitchboardClientException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The wire's JSON shapes (docs/api) to and from the SDK's records. Not API. */
public final class Json {
    /** Thread-safe once configured; shared by every client. */
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS); // "42 abc" is not JSON

    private Json() {}

    public static JsonNode parse(byte[] body) throws IOException {
        return MAPPER.readTree(body);
    }

    /** A 2xx answer's body, which the API always writes as JSON. */
    public static JsonNode body(HttpResponse<byte[]> answer) {
        try {
            return parse(answer.body());
        } catch (IOException e) {
            throw new UncheckedIOException("the server's answer is not JSON", e);
        }
    }

    public static JsonNode parse(String body) throws JsonProcessingException {
        return MAPPER.readTree(body);
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    public static Message message(String topic, JsonNode m) {
        Map<String, String> headers = new LinkedHashMap<>();
        JsonNode h = m.path("headers");
        h.properties().forEach(e -> headers.put(e.getKey(), e.getValue().asText()));
        return new Message(topic, m.path("offset").asLong(), instant(m.path("time")), m.path("data"),
                text(m.path("encoding")), text(m.path("content_type")), headers);
    }

    public static Page page(JsonNode p) {
        String topic = p.path("topic").asText();
        List<Message> messages = new ArrayList<>();
        p.path("messages").forEach(m -> messages.add(message(topic, m)));
        return new Page(topic, messages, p.path("next").asLong(), text(p.path("epoch")), gap(p.path("gap")));
    }

    public static GroupMessage groupMessage(String topic, String group, JsonNode m) {
        return new GroupMessage(group, message(topic, m), m.path("attempt").asInt(1));
    }

    public static Fetched fetched(JsonNode f) {
        String topic = f.path("topic").asText();
        String group = f.path("group").asText();
        List<GroupMessage> messages = new ArrayList<>();
        f.path("messages").forEach(m -> messages.add(groupMessage(topic, group, m)));
        return new Fetched(topic, group, f.path("lease").asText(), Duration.ofMillis(f.path("lease_ms").asLong()), messages);
    }

    public static GroupState groupState(JsonNode s) {
        JsonNode age = s.path("oldest_unacked_age_ms");
        return new GroupState(s.path("topic").asText(), s.path("group").asText(), s.path("committed").asLong(),
                s.path("delivered").asLong(), s.path("pending").asLong(), s.path("in_flight").asLong(),
                s.path("lag").asLong(), s.path("last").asLong(), instant(s.path("oldest_unacked_time")),
                age.isNumber() ? Duration.ofMillis(age.asLong()) : null);
    }

    /** The body of an ack or a nack: the lease, the offsets, and a nack's delay and reason when given. */
    public static ObjectNode settle(String lease, List<Long> offsets, Duration delay, String reason) {
        ObjectNode body = object();
        if (lease != null) {
            body.put("lease", lease);
        }
        offsets.forEach(body.putArray("offsets")::add);
        if (delay != null) {
            body.put("delay", wire(delay));
        }
        if (reason != null) {
            body.put("reason", reason);
        }
        return body;
    }

    /** A reset's body: exactly one of offset, time or to. */
    public static ObjectNode reset(GroupReset to) {
        ObjectNode body = object();
        switch (to) {
            case GroupReset.AfterOffset o -> body.put("offset", o.offset());
            case GroupReset.AtTime t -> body.put("time", t.time().toString());
            case GroupReset.Earliest e -> body.put("to", "earliest");
            case GroupReset.Latest l -> body.put("to", "latest");
        }
        return body;
    }

    /** A job as every jobs answer and event carries it (docs/api/jobs.md); absent fields are null. */
    public static Job job(JsonNode j) {
        JsonNode p = j.path("progress");
        JobProgress progress = p.isObject() ? new JobProgress(p.path("percent").asInt(), text(p.path("message"))) : null;
        JsonNode result = j.get("result");
        return new Job(j.path("id").asText(), j.path("type").asText(), JobStatus.fromWire(j.path("status").asText()),
                j.path("attempt").asInt(), j.path("max_attempts").asInt(), Duration.ofMillis(j.path("timeout_ms").asLong()),
                progress, result == null || result.isNull() ? null : result, text(j.path("result_encoding")),
                text(j.path("result_content_type")), text(j.path("error")), j.path("cancel_requested").asBoolean(),
                j.path("version").asLong(), instant(j.path("run_at")), instant(j.path("created")), instant(j.path("updated")),
                instant(j.path("started")));
    }

    /** A claim: {@code {"job":{…,"payload"},"lease","lease_until"}}. */
    public static JobClaim claim(JsonNode c) {
        JsonNode job = c.path("job");
        return new JobClaim(job(job), job.path("payload"), text(job.path("payload_encoding")), c.path("lease").asText(),
                instant(c.path("lease_until")));
    }

    /** The claims of a batch claim's {@code {"jobs":[…]}}, oldest first. */
    public static List<JobClaim> claims(JsonNode body) {
        List<JobClaim> claims = new ArrayList<>();
        body.path("jobs").forEach(c -> claims.add(claim(c)));
        return claims;
    }

    /** The body of {@code POST /v1/jobs}: the type, the payload when there is one, and the options given. */
    public static ObjectNode submit(String type, JsonNode payload, SubmitOptions options) {
        ObjectNode body = object().put("type", type);
        if (payload != null && !payload.isNull() && !payload.isMissingNode()) {
            body.set("payload", payload);
        }
        if (options.maxAttempts() != null) {
            body.put("max_attempts", options.maxAttempts());
        }
        if (options.timeout() != null) {
            body.put("timeout", wire(options.timeout()));
        }
        if (options.runAt() != null) {
            body.put("run_at", options.runAt().toString());
        }
        return body;
    }

    /** Any value as JSON: a {@code JsonNode} as is, anything else as Jackson writes it (null stays null). */
    public static JsonNode tree(Object value) {
        try {
            return value instanceof JsonNode n ? n : MAPPER.valueToTree(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not writable as JSON: " + value.getClass().getName() + ": " + e.getMessage(), e);
        }
    }

    /** A duration as the server reads it ({@code 1500ms}). */
    public static String wire(Duration d) {
        return d.toMillis() + "ms";
    }

    public static Gap gap(JsonNode g) {
        return g.isObject() ? new Gap(g.path("after").asLong(), g.path("first").asLong()) : null;
    }

    /** A problem+json body (or a WebSocket error frame) as an exception; tolerant of bodies that are not one. */
    public static SwitchboardClientException problem(int status, byte[] body) {
        JsonNode p;
        try {
            p = parse(body);
        } catch (IOException | RuntimeException e) {
            p = object();
        }
        return problem(status, p);
    }

    public static SwitchboardClientException problem(int status, JsonNode p) {
        int s = p.path("status").asInt(status);
        String code = p.path("code").asText(s >= 500 ? "internal" : "http-" + s);
        String detail = p.path("detail").asText(p.path("title").asText("HTTP " + s));
        boolean retryable = p.path("retryable").asBoolean(s >= 500);
        return new SwitchboardClientException(s, code, detail, retryable, null);
    }

    public static Instant instant(JsonNode t) {
        return t.isTextual() ? Instant.parse(t.textValue()) : null;
    }

    private static String text(JsonNode n) {
        return n.isMissingNode() || n.isNull() ? null : n.asText();
    }
}
