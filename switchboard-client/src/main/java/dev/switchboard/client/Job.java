package dev.switchboard.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.client.internal.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * An async job as the server reports it (docs/api/jobs.md). {@code result} is the JSON value a worker completed
 * with (a string for a text result; base64 with {@code resultEncoding = "base64"} for binary), null until it
 * succeeds or when it returned nothing; {@code error} is the last failure. {@code progress} and {@code started}
 * are null until a worker reported or started. {@code version} grows with every change.
 */
public record Job(String id, String type, JobStatus status, int attempt, int maxAttempts, Duration timeout,
        JobProgress progress, JsonNode result, String resultEncoding, String resultContentType, String error,
        boolean cancelRequested, long version, Instant runAt, Instant created, Instant updated, Instant started) {

    /** Succeeded, failed or cancelled: it will not change again. */
    public boolean isFinished() {
        return status.isFinished();
    }

    /** The result as text: a string as is, a JSON value as JSON text, binary decoded as UTF-8; null without one. */
    public String resultText() {
        if (result == null) {
            return null;
        }
        if ("base64".equals(resultEncoding)) {
            return new String(resultBytes(), StandardCharsets.UTF_8);
        }
        return result.isTextual() ? result.textValue() : result.toString();
    }

    /** The result's bytes (base64 decoded for a binary result); null without one. */
    public byte[] resultBytes() {
        if (result == null) {
            return null;
        }
        return "base64".equals(resultEncoding) ? Base64.getDecoder().decode(result.asText())
                : resultText().getBytes(StandardCharsets.UTF_8);
    }

    /** The JSON result bound to {@code type} with Jackson; null without one. */
    public <T> T resultAs(Class<T> type) {
        if (result == null) {
            return null;
        }
        try {
            return Json.MAPPER.treeToValue(result, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the result of job " + id + " is not a " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }
}
