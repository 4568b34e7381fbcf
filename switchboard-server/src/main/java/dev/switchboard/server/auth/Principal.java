package dev.switchboard.server.auth;

import dev.switchboard.core.error.ErrorCode;
import dev.switchboard.core.error.SwitchboardException;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Who is calling and what they may do, found once per request or WebSocket: the grants of a verified
 * token, or {@link #UNRESTRICTED} when the server checks no tokens. Routes call {@link #require}
 * before they call the hub, so a refused call changes nothing.
 */
public final class Principal {
    /** auth=none: every action on every name. */
    public static final Principal UNRESTRICTED = new Principal("anyone", null, null);
    /** No grants at all: what a route sees if nothing authenticated the request. */
    public static final Principal NOBODY = new Principal("nobody", Map.of(), null);

    private final String subject;
    private final Map<Action, List<NamePattern>> grants; // null: unrestricted
    private final Instant validUntil;

    Principal(String subject, Map<Action, List<NamePattern>> grants, Instant validUntil) {
        this.subject = subject;
        if (grants == null) {
            this.grants = null;
        } else {
            this.grants = new EnumMap<>(Action.class);
            this.grants.putAll(grants);
        }
        this.validUntil = validUntil;
    }

    /** The token's {@code sub}, or a word for who it is. */
    public String subject() {
        return subject;
    }

    /** When the token stops being accepted (its {@code exp} plus the leeway); null when it never does. */
    public Instant validUntil() {
        return validUntil;
    }

    public boolean unrestricted() {
        return grants == null;
    }

    public boolean allows(Action action, String name) {
        if (grants == null) {
            return true;
        }
        if (name == null) {
            return false;
        }
        for (NamePattern p : grants.getOrDefault(action, List.of())) {
            if (p.matches(name)) {
                return true;
            }
        }
        return false;
    }

    /** @throws SwitchboardException {@code 403 forbidden}, naming the action, the name and what the token grants */
    public void require(Action action, String name) {
        if (!allows(action, name)) {
            throw new SwitchboardException(ErrorCode.FORBIDDEN, action.claim() + " on " + action.object() + " '" + name + "' refused: the token of '"
                    + subject + "' grants " + action.claim() + " on " + grants.getOrDefault(action, List.of())
                    + " (the \"switchboard\" claim, docs/security.md)");
        }
    }

    /**
     * The same caller and expiry, granted {@code action} on exactly {@code name} and nothing else: for a
     * route that checked the caller by another grant and hands on to a route that checks this one (a
     * job's event stream, granted by the job's type, is the SSE stream of {@code _jobs/{id}}).
     */
    public Principal onlyFor(Action action, String name) {
        if (grants == null) {
            return this;
        }
        return new Principal(subject, Map.of(action, List.of(NamePattern.exactly(name))), validUntil);
    }

    @Override
    public String toString() {
        return subject + (grants == null ? " (unrestricted)" : " " + grants);
    }
}
