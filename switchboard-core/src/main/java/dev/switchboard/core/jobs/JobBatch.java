package dev.switchboard.core.jobs;

import dev.switchboard.core.error.ErrorCode;
import dev.switchboard.core.error.SwitchboardException;
import dev.switchboard.core.store.JobDraft;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** A batch submit's requests made drafts, every one checked before any is stored: one bad request refuses the batch. */
final class JobBatch {
    private JobBatch() {}

    /** @param draft checks one request and makes its draft, or throws BAD_REQUEST */
    static List<JobDraft> drafts(List<JobRequest> requests, Function<JobRequest, JobDraft> draft) {
        if (requests.isEmpty()) {
            throw new SwitchboardException(ErrorCode.BAD_REQUEST, "a batch submit has no jobs: send 1 to " + Jobs.MAX_SUBMIT_BATCH);
        }
        if (requests.size() > Jobs.MAX_SUBMIT_BATCH) {
            throw new SwitchboardException(ErrorCode.BAD_REQUEST, "a batch of " + requests.size() + " jobs is above the limit of "
                    + Jobs.MAX_SUBMIT_BATCH + "; nothing was submitted");
        }
        List<JobDraft> drafts = new ArrayList<>(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            try {
                drafts.add(draft.apply(requests.get(i)));
            } catch (SwitchboardException e) {
                throw new SwitchboardException(e.code(), "job " + i + " (counting from 0) of the batch of " + requests.size()
                        + " is invalid, nothing was submitted: " + e.getMessage());
            }
        }
        return drafts;
    }
}
