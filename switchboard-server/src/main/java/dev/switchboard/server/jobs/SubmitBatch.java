package dev.switchboard.server.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.switchboard.core.error.ErrorCode;
import dev.switchboard.core.error.SwitchboardException;
import dev.switchboard.core.jobs.JobRequest;
import dev.switchboard.core.jobs.Jobs;
import dev.switchboard.server.api.JsonExchange;
import dev.switchboard.server.api.JsonFields;
import dev.switchboard.server.api.Ndjson;
import dev.switchboard.server.auth.Action;
import dev.switchboard.server.auth.Principal;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The batch form of {@code POST /v1/jobs}: an NDJSON body, one job per line with the single form's fields
 * plus {@code "idempotency_key"} (one header cannot key many jobs). Every line is read and checked —
 * JSON, fields, limits, the caller's right to its type — before any job is submitted, so a refusal names
 * its line and stores nothing.
 */
final class SubmitBatch {
    static final String KEY_FIELD = "idempotency_key";
    private static final Set<String> FIELDS = with(SubmitRoute.FIELDS, KEY_FIELD);
    // One value per line: a second one after it is a mistake to refuse, not to drop.
    private static final ObjectReader LINE = JsonExchange.JSON.readerFor(JsonNode.class)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private SubmitBatch() {}

    static List<JobRequest> parse(byte[] body, Principal caller, Jobs jobs) {
        byte[] bytes = Ndjson.withoutBom(body);
        List<JobRequest> requests = new ArrayList<>();
        for (Ndjson.Line line : Ndjson.lines(bytes)) {
            JobRequest r = request(bytes, line, jobs);
            caller.require(Action.JOBS, r.type());
            requests.add(r);
        }
        return requests;
    }

    private static JobRequest request(byte[] body, Ndjson.Line line, Jobs jobs) {
        JsonNode job;
        try {
            job = LINE.readValue(body, line.from(), line.to() - line.from());
        } catch (IOException e) {
            String why = e instanceof JsonProcessingException p ? p.getOriginalMessage() : e.getMessage();
            throw new SwitchboardException(ErrorCode.MALFORMED_JSON, "invalid NDJSON at line " + line.number() + ": " + why
                    + "; no job was submitted");
        }
        try {
            JobRequest r = SubmitRoute.parse(job, JsonFields.string(job, KEY_FIELD, false), FIELDS);
            jobs.check(r);
            return r;
        } catch (SwitchboardException e) {
            throw new SwitchboardException(e.code(), "line " + line.number() + ": " + e.getMessage() + "; no job was submitted");
        }
    }

    private static Set<String> with(Set<String> fields, String more) {
        Set<String> all = new HashSet<>(fields);
        all.add(more);
        return Set.copyOf(all);
    }
}
