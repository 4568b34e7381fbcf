package dev.switchboard.client.internal;

import dev.switchboard.client.Job;
import dev.switchboard.client.JobListener;
import dev.switchboard.client.JobWatch;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.client.SwitchboardClientException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The loop behind every {@link JobWatch}: read the job, then long-poll past the last version seen, delivering each
 * newer version, until the job finishes; retryable failures wait a jittered backoff and ask again from the same
 * version. One virtual thread per watch; it alone calls the listener. Not API.
 */
public final class JobWatchLoop implements JobWatch {
    private static final Duration POLL = Duration.ofSeconds(30);

    private final SwitchboardClient client;
    private final String id;
    private final JobListener listener;
    private final Consumer<JobWatch> onEnd;
    private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10));
    private final LongPollWait pollWait = new LongPollWait(POLL);
    private final Thread thread;
    private volatile boolean open = true;
    private volatile CompletableFuture<Job> call = CompletableFuture.completedFuture(null);
    private volatile Job last;

    public JobWatchLoop(SwitchboardClient client, String id, JobListener listener, Consumer<JobWatch> onEnd) {
        this.client = client;
        this.id = id;
        this.listener = listener;
        this.onEnd = onEnd;
        this.thread = Thread.ofVirtual().name("sb-client-job-watch-" + id).unstarted(this::loop);
    }

    public void start() {
        thread.start();
    }

    private void loop() {
        Throwable end = null;
        int failures = 0;
        try {
            while (open) {
                Job seen = last;
                call = seen == null ? client.jobAsync(id) : client.jobAsync(id, pollWait.get(), seen.version());
                if (!open) {
                    call.cancel(true);
                }
                Job job;
                try {
                    job = Requests.await(call);
                } catch (CancellationException e) {
                    break; // closed
                } catch (SwitchboardClientException e) {
                    if (!open) {
                        break;
                    }
                    if (pollWait.shortenedFor(e)) {
                        continue;
                    }
                    if (!e.retryable()) {
                        end = e;
                        break;
                    }
                    Duration delay = backoff.delay(failures++);
                    listener.onReconnecting(e, delay);
                    Thread.sleep(delay);
                    continue;
                }
                failures = 0;
                if (seen == null || job.version() > seen.version()) {
                    last = job;
                    listener.onChange(job);
                }
                if (job.isFinished()) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            // closed while waiting to ask again
        } catch (RuntimeException | Error e) {
            end = open ? e : null; // the listener's own failure ends the watch
        }
        open = false;
        onEnd.accept(this);
        listener.onEnd(last, end);
    }

    @Override
    public String jobId() {
        return id;
    }

    @Override
    public Job last() {
        return last;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        if (!open && !thread.isAlive()) {
            return;
        }
        open = false;
        call.cancel(true);
        if (Thread.currentThread() == thread) {
            return; // the listener closed its own watch: the loop ends when it returns
        }
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
