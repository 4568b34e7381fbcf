package dev.switchboard.core.store;

import dev.switchboard.core.error.ErrorCode;
import dev.switchboard.core.error.SwitchboardException;

/** When a publish is answered: after the fsync, or after the commit reached the OS (no fsync). */
public enum Durability {
    /** Answer after the batch's transaction is on disk (fsync). Survives power loss. */
    SYNC,
    /**
     * Answer after the batch's transaction is committed without waiting for the fsync (the analogue of
     * PostgreSQL's {@code synchronous_commit=off}): survives a process crash, may lose the last
     * moments of writes on power loss.
     */
    ASYNC;

    public static Durability parse(String value) {
        if (value == null || value.equals("sync")) {
            return SYNC;
        }
        if (value.equals("async")) {
            return ASYNC;
        }
        throw new SwitchboardException(ErrorCode.BAD_REQUEST,
                "durability '" + value + "' is invalid: use sync or async");
    }
}
