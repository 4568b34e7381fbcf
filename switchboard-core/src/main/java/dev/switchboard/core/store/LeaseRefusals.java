package dev.switchboard.core.store;

import dev.switchboard.core.error.ErrorCode;
import dev.switchboard.core.error.SwitchboardException;
import java.util.List;

/** The refusals every {@link GroupStore} and {@link JobStore} gives, worded once so all stores say the same. */
public final class LeaseRefusals {
    private LeaseRefusals() {}

    /** {@code what} ("ack", "nack") named a group that does not exist. */
    public static SwitchboardException noGroup(String what, String topic, String group) {
        return new SwitchboardException(ErrorCode.NOT_FOUND, what + " refused: topic '" + topic + "' has no group '" + group + "'");
    }

    /** {@code offsets} are not pending under the lease named. */
    public static SwitchboardException notHeld(String what, String topic, String group, List<Long> offsets) {
        return new SwitchboardException(ErrorCode.LEASE_NOT_HELD, what + " refused, nothing changed: offsets " + offsets
                + " of '" + topic + "' are not held by this lease in group '" + group
                + "' (acknowledged already, never delivered, or leased again after the lease expired)");
    }

    /** {@code what} ("heartbeat", "complete", …) named a job that does not exist. */
    public static SwitchboardException noJob(String what, String id) {
        return new SwitchboardException(ErrorCode.NOT_FOUND, what + " refused: there is no job '" + id + "'");
    }

    /** {@code lease} is not the current lease of job {@code id}, now in {@code state}. */
    public static SwitchboardException jobLeaseNotHeld(String what, String id, JobState state) {
        return new SwitchboardException(ErrorCode.LEASE_NOT_HELD, what + " refused, nothing changed: this lease does not hold job '"
                + id + "', which is " + state.wire() + " (the lease was spent, ran out, or belongs to another attempt)");
    }
}
