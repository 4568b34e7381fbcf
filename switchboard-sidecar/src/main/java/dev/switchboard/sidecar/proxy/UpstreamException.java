package dev.switchboard.sidecar.proxy;

/** Why an exchange got no upstream response: becomes a 502, 503 or 504 problem. */
final class UpstreamException extends RuntimeException {
    enum Kind { DOWN, BUSY, TIMEOUT }

    private final Kind kind;

    UpstreamException(Kind kind, String detail) {
        super(detail, null, false, false);
        this.kind = kind;
    }

    Kind kind() {
        return kind;
    }
}
