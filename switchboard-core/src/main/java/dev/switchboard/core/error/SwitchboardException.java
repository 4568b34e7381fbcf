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

    /**
     * {@code error} as the store's failure of {@code what}: a catalogued refusal stays as it is; anything
     * else (a driver or I/O error) becomes STORE_UNAVAILABLE naming the root cause.
     */
    public static SwitchboardException fromStore(String what, Throwable error) {
        SwitchboardException known = of(error);
        if (known.code() != ErrorCode.INTERNAL) {
            return known;
        }
        Throwable root = error;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return new SwitchboardException(ErrorCode.STORE_UNAVAILABLE, what + " failed in the store: " + root.getMessage(), error);
    }
}
