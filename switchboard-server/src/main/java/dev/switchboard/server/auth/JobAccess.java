package dev.switchboard.server.auth;

import dev.switchboard.core.jobs.Jobs;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Calls that name a job by id are granted by the job's type, which the id does not say: a restricted
 * principal's call reads the job first (one store read) and runs only if the type is granted. With
 * auth=none nothing is read.
 */
public final class JobAccess {
    private JobAccess() {}

    /** {@code call} once {@code principal} may {@code action} the job {@code id}; else a failed future (403, or 404 for no such job). */
    public static <T> CompletableFuture<T> checked(Jobs jobs, Principal principal, Action action, String id,
                                                   Supplier<CompletableFuture<T>> call) {
        if (principal.unrestricted()) {
            return call.get();
        }
        return jobs.get(id).thenCompose(job -> {
            principal.require(action, job.type());
            return call.get();
        });
    }
}
