package dev.switchboard.server.jobs;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.error.ErrorCode;
import dev.switchboard.core.error.SwitchboardException;
import dev.switchboard.core.jobs.JobEvents;
import dev.switchboard.core.message.MessageDraft;
import dev.switchboard.core.store.Job;
import dev.switchboard.core.store.JobClaim;
import dev.switchboard.server.api.JsonFields;
import dev.switchboard.server.api.JsonReplies;
import dev.switchboard.server.api.MessageJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * How a job looks in JSON, in every answer and in its events on {@code _jobs/{id}}:
 * {@code {"id","type","status","attempt","max_attempts","timeout_ms","run_at","created","updated",
 * "started"?,"progress"?,"result"?,"error"?,"cancel_requested","version"}}; the payload only where a
 * worker needs it (the claim).
 */
public final class JobJson {
    /** Job events: the status JSON (without the payload) as an {@code application/json} message. */
    public static final JobEvents EVENTS = job -> MessageDraft.of("application/json", JsonReplies.bytes(g -> write(g, job, false)));

    private JobJson() {}

    public static void write(JsonGenerator g, Job j, boolean withPayload) throws IOException {
        g.writeStartObject();
        writeFields(g, j, withPayload);
        g.writeEndObject();
    }

    static void writeFields(JsonGenerator g, Job j, boolean withPayload) throws IOException {
        g.writeStringField("id", j.id());
        g.writeStringField("type", j.type());
        g.writeStringField("status", j.state().wire());
        g.writeNumberField("attempt", j.attempt());
        g.writeNumberField("max_attempts", j.maxAttempts());
        g.writeNumberField("timeout_ms", j.timeoutMillis());
        g.writeStringField("run_at", IsoMillis.format(j.runAtMillis()));
        g.writeStringField("created", IsoMillis.format(j.createdMillis()));
        g.writeStringField("updated", IsoMillis.format(j.updatedMillis()));
        if (j.startedMillis() > 0) {
            g.writeStringField("started", IsoMillis.format(j.startedMillis()));
        }
        if (withPayload) {
            MessageJson.writeBody(g, "payload", "payload_content_type", "payload_encoding", j.contentType(), j.payload());
        }
        if (j.progressPercent() > 0 || j.progressMessage() != null) {
            g.writeObjectFieldStart("progress");
            g.writeNumberField("percent", j.progressPercent());
            if (j.progressMessage() != null) {
                g.writeStringField("message", j.progressMessage());
            }
            g.writeEndObject();
        }
        if (j.result() != null) {
            MessageJson.writeBody(g, "result", "result_content_type", "result_encoding", j.resultType(), j.result());
        }
        if (j.error() != null) {
            g.writeStringField("error", j.error());
        }
        g.writeBooleanField("cancel_requested", j.cancelRequested());
        g.writeNumberField("version", j.version());
    }

    /** A claim: {@code {"job":{…with its payload…},"lease","lease_until"}}. */
    static void writeClaim(JsonGenerator g, JobClaim c) throws IOException {
        g.writeStartObject();
        g.writeFieldName("job");
        write(g, c.job(), true);
        g.writeStringField("lease", c.lease());
        g.writeStringField("lease_until", IsoMillis.format(c.leaseUntilMillis()));
        g.writeEndObject();
    }

    /** A batch claim: {@code {"jobs":[{"job","lease","lease_until"},…]}}. */
    static void writeClaims(JsonGenerator g, List<JobClaim> claims) throws IOException {
        g.writeStartObject();
        g.writeArrayFieldStart("jobs");
        for (JobClaim c : claims) {
            writeClaim(g, c);
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /** A JSON value given by a client (payload, result): a string is stored as text, anything else as JSON. */
    record Body(String contentType, byte[] bytes) {
        static Body of(JsonNode value) {
            if (value == null || value.isNull()) {
                return null;
            }
            return value.isTextual()
                    ? new Body(MessageJson.TEXT, value.textValue().getBytes(StandardCharsets.UTF_8))
                    : new Body("application/json", value.toString().getBytes(StandardCharsets.UTF_8));
        }
    }


    static void requireObject(JsonNode body) {
        if (!body.isObject()) {
            throw new SwitchboardException(ErrorCode.BAD_REQUEST, "the body must be a JSON object");
        }
    }
}
