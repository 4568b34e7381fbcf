package dev.switchboard.core.message;

import dev.switchboard.core.error.ErrorCode;
import dev.switchboard.core.error.SwitchboardException;

/** Topic names: {@code ^[A-Za-z0-9][A-Za-z0-9._:/-]{0,199}$}; names starting with {@code _} are reserved. */
public final class Topics {
    private static final int MAX_LENGTH = 200;
    private static final String JOB_EVENTS = "_jobs/";

    private Topics() {}

    /** Checks a name a client may publish to or read from. */
    public static String requireValid(String name) {
        if (!NameSyntax.isName(name, MAX_LENGTH, true)) {
            throw new SwitchboardException(ErrorCode.BAD_TOPIC, "topic name '" + printable(name)
                    + "' is invalid: it must match ^[A-Za-z0-9][A-Za-z0-9._:/-]{0,199}$");
        }
        return name;
    }

    /**
     * Checks a name a client may read or subscribe to: a valid name, or a job's event topic
     * {@code _jobs/<id>}, which the server writes and anyone may follow.
     */
    public static String requireReadable(String name) {
        if (name != null && name.startsWith(JOB_EVENTS) && NameSyntax.isLowerHex(name, JOB_EVENTS.length(), 32)) {
            return name;
        }
        return requireValid(name);
    }

    /** True for names the server itself uses (for example {@code _jobs/42}). */
    public static boolean isReserved(String name) {
        return name != null && name.length() >= 2 && name.length() <= MAX_LENGTH && name.charAt(0) == '_'
                && NameSyntax.restIsNameChars(name, 1, true);
    }

    /** Only the server's own topics may be dropped: a client topic's offsets must never restart. */
    public static String requireReserved(String name) {
        if (!isReserved(name)) {
            throw new IllegalArgumentException("only reserved topics (_…) can be dropped, not '" + printable(name) + "'");
        }
        return name;
    }

    private static String printable(String name) {
        if (name == null) {
            return "";
        }
        String cut = name.length() > 60 ? name.substring(0, 60) + "…" : name;
        return cut.replaceAll("[\\p{Cntrl}]", "?");
    }
}
