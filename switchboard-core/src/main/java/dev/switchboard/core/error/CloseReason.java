package dev.switchboard.core.error;

/** Why the server ended a streaming session; sent to the client before the connection closes. */
public enum CloseReason {
    /** The client did not read fast enough and its outbound budget ran out; it may resume from its last offset. */
    SLOW_CONSUMER("slow consumer"),
    /** The server is stopping; the client should reconnect (to this or another node) and resume. */
    SERVER_SHUTDOWN("server shutting down"),
    /** The store failed while this client was catching up; it may resume from its last offset. */
    STORE_UNAVAILABLE("store unavailable"),
    /** The token the stream was opened with expired (auth=jwt); the client reconnects with a fresh one and resumes. */
    TOKEN_EXPIRED("token expired");

    private final String text;

    CloseReason(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }
}
