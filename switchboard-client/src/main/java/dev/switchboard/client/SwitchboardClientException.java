package dev.switchboard.client;

/**
 * A request the server refused (its problem+json fields: {@link #status}, {@link #code}, {@link #detail},
 * {@link #retryable}) or a transport failure (status 0, code {@code "transport"}, retryable).
 */
public final class SwitchboardClientException extends RuntimeException {
    /** The code of failures that never reached an answer: connection refused, reset, timed out. */
    public static final String TRANSPORT = "transport";

    private final int status;
    private final String code;
    private final String detail;
    private final boolean retryable;

    public SwitchboardClientException(int status, String code, String detail, boolean retryable, Throwable cause) {
        super(status == 0 ? detail : status + " " + code + ": " + detail, cause);
        this.status = status;
        this.code = code;
        this.detail = detail;
        this.retryable = retryable;
    }

    /** A failure with no answer from the server (refused, reset, timed out): retryable. */
    public static SwitchboardClientException transport(String what, Throwable cause) {
        String why = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return new SwitchboardClientException(0, TRANSPORT, what + ": " + why, true, cause);
    }

    /** The HTTP status (or the WebSocket error frame's); 0 when no answer arrived. */
    public int status() {
        return status;
    }

    /** The stable error code ({@code cannot-resume}, {@code bad-topic}, …; {@link #TRANSPORT} without an answer). */
    public String code() {
        return code;
    }

    /** The server's explanation, with the numbers behind its decision. */
    public String detail() {
        return detail;
    }

    /** Whether the same request may succeed later (503s, transport failures). */
    public boolean retryable() {
        return retryable;
    }

    /** The server says this position cannot be resumed (beyond the topic's end, or another store's epoch). */
    public boolean isCannotResume() {
        return "cannot-resume".equals(code);
    }

    /** The server says a lease (a job's, or a group's over some offsets) is not held: spent, run out, or another's. */
    public boolean isLeaseNotHeld() {
        return "lease-not-held".equals(code);
    }
}
