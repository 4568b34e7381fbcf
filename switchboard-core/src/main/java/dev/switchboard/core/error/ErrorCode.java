package dev.switchboard.core.error;

/**
 * The one catalog of errors Switchboard reports. Each transport maps a code to its wire form in
 * one place (HTTP problem+json, WebSocket error frame or close code, SSE error event).
 */
public enum ErrorCode {
    BAD_TOPIC(400, "bad-topic", "Invalid topic name", false),
    BAD_GROUP(400, "bad-group", "Invalid consumer group name", false),
    BAD_REQUEST(400, "bad-request", "Bad request", false),
    MALFORMED_JSON(400, "malformed-json", "Malformed JSON", false),
    UNKNOWN_OP(400, "unknown-op", "Unknown operation", false),
    WAIT_TOO_LONG(400, "wait-too-long", "Wait above the server's cap", false),
    UNAUTHORIZED(401, "unauthorized", "Unauthorized", false),
    FORBIDDEN(403, "forbidden", "Forbidden", false),
    NOT_FOUND(404, "not-found", "Not found", false),
    METHOD_NOT_ALLOWED(405, "method-not-allowed", "Method not allowed", false),
    NOT_ACCEPTABLE(406, "not-acceptable", "Not acceptable", false),
    CANNOT_RESUME(409, "cannot-resume", "Cannot resume from this position", false),
    LEASE_NOT_HELD(409, "lease-not-held", "Lease not held", false),
    BODY_TOO_LARGE(413, "body-too-large", "Body too large", false),
    UNSUPPORTED_MEDIA_TYPE(415, "unsupported-media-type", "Unsupported media type", false),
    TOO_MANY_SUBSCRIPTIONS(429, "too-many-subscriptions", "Too many subscriptions", false),
    HEADER_TOO_LARGE(431, "header-too-large", "Request header fields too large", false),
    INTERNAL(500, "internal", "Internal server error", true),
    UPSTREAM_UNAVAILABLE(502, "upstream-unavailable", "Upstream unavailable", true),
    STORE_UNAVAILABLE(503, "store-unavailable", "Store unavailable", true),
    TOO_MANY_CONNECTIONS(503, "too-many-connections", "Too many connections", true),
    SHUTTING_DOWN(503, "shutting-down", "Server shutting down", true),
    UPSTREAM_BUSY(503, "upstream-busy", "Upstream connections exhausted", true),
    UPSTREAM_TIMEOUT(504, "upstream-timeout", "Upstream timeout", true);

    private final int status;
    private final String slug;
    private final String title;
    private final boolean retryable;

    ErrorCode(int status, String slug, String title, boolean retryable) {
        this.status = status;
        this.slug = slug;
        this.title = title;
        this.retryable = retryable;
    }

    public int status() {
        return status;
    }

    /** Stable identifier; documented in docs/errors.md. */
    public String slug() {
        return slug;
    }

    /** The RFC 9457 {@code type}: a URN, stable across versions. */
    public String type() {
        return "urn:switchboard:problem:" + slug;
    }

    public String title() {
        return title;
    }

    public boolean retryable() {
        return retryable;
    }
}
