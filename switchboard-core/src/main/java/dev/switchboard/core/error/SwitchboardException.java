package dev.switchboard.core.error;

/** A refusal with a code from the catalog and a detail that carries the numbers behind it. */
public final class SwitchboardException extends RuntimeException {
    private final ErrorCode code;

    public SwitchboardException(ErrorCode code, String detail) {
        super(detail, null, false, false);
        this.code = code;
    }

    public SwitchboardException(ErrorCode code, String detail, Throwable cause) {
        super(detail, cause, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    public String detail() {
        return getMessage();
    }

    /** The {@link SwitchboardException} inside {@code t} (unwrapping completion wrappers), or an INTERNAL one. */
    public static SwitchboardException of(Throwable t) {
        Throwable cur = t;
        while (cur != null) {
            if (cur instanceof SwitchboardException se) {
                return se;
            }
            cur = cur.getCause();
        }
        return new SwitchboardException(ErrorCode.INTERNAL, String.valueOf(t), t);
    }
}
