package dev.switchboard.core.message;

import dev.switchboard.core.error.ErrorCode;
import dev.switchboard.core.error.SwitchboardException;

/** Consumer group names: {@code ^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$} (no slash: a group is one path segment). */
public final class GroupNames {
    private static final int MAX_LENGTH = 100;

    private GroupNames() {}

    public static String requireValid(String name) {
        if (!NameSyntax.isName(name, MAX_LENGTH, false)) {
            String shown = name == null ? "" : name.length() > 60 ? name.substring(0, 60) + "…" : name;
            throw new SwitchboardException(ErrorCode.BAD_GROUP, "group name '" + shown.replaceAll("\\p{Cntrl}", "?")
                    + "' is invalid: it must match ^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$");
        }
        return name;
    }
}
