package dev.switchboard.server.auth;

import dev.switchboard.core.error.ErrorCode;

/**
 * A request the authenticator turned away before any route ran: {@code 401 unauthorized} (no token,
 * or one that does not verify) or {@code 400} for a token sent two ways at once. {@link #challenge}
 * is the {@code WWW-Authenticate} value (RFC 6750 §3).
 */
public final class AuthFailure extends RuntimeException {
    private static final int MAX_DESCRIPTION = 300;

    private final ErrorCode code;
    private final String error;

    private AuthFailure(ErrorCode code, String error, String detail) {
        super(detail, null, false, false);
        this.code = code;
        this.error = error;
    }

    /** No credentials at all: the challenge carries no error code (RFC 6750 §3.1). */
    static AuthFailure missing(String detail) {
        return new AuthFailure(ErrorCode.UNAUTHORIZED, null, detail);
    }

    static AuthFailure invalidToken(String detail) {
        return new AuthFailure(ErrorCode.UNAUTHORIZED, "invalid_token", detail);
    }

    static AuthFailure invalidRequest(String detail) {
        return new AuthFailure(ErrorCode.BAD_REQUEST, "invalid_request", detail);
    }

    public ErrorCode code() {
        return code;
    }

    public String detail() {
        return getMessage();
    }

    public String challenge() {
        if (error == null) {
            return "Bearer realm=\"switchboard\"";
        }
        // Parts of the description come from the token: keep it a short, valid quoted-string of visible ASCII.
        StringBuilder description = new StringBuilder();
        for (char c : getMessage().toCharArray()) {
            description.append(c < 0x20 || c > 0x7e || c == '"' || c == '\\' ? '?' : c);
            if (description.length() == MAX_DESCRIPTION) {
                break;
            }
        }
        return "Bearer realm=\"switchboard\", error=\"" + error + "\", error_description=\"" + description + "\"";
    }
}
