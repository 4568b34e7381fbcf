package dev.switchboard.client;

import dev.switchboard.client.internal.ConsumerLoop;
import dev.switchboard.client.internal.JobAwait;
import dev.switchboard.client.internal.JobWatchLoop;
import dev.switchboard.client.internal.Json;
import dev.switchboard.client.internal.Requests;
import dev.switchboard.client.internal.SubscriptionLoop;
import dev.switchboard.client.internal.WorkerLoop;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A Switchboard server seen from Java: publish, read, long-poll and subscribe (SSE, WebSocket, long or short
 * polling behind one {@link Subscription}); consumer groups (fetch, ack, nack, state, reset) and a
 * {@link GroupConsumer} that runs a group member's loop; async jobs (submit, await, watch, cancel) and a
 * {@link JobWorker} that runs a worker's loop.
 *
 * <p><b>Sync and async.</b> Each call has a blocking form and an {@code …Async} form returning a
 * {@link CompletableFuture}; the blocking form waits for the future. Failures are a
 * {@link SwitchboardClientException} (thrown, or completing the future exceptionally) carrying the server's
 * problem fields. Cancelling a future hangs up its request (a long poll gives back what it held).
 *
 * <p><b>Threads.</b> A client is thread-safe: share one per application (it holds an {@link HttpClient} and its
 * connection pool). Futures complete on the {@code HttpClient}'s executor; subscriptions call their listener
 * from one thread of their own (see {@link Subscription}), group consumers their handler likewise (see
 * {@link GroupConsumer}), job watches and workers theirs (see {@link JobWatch}, {@link JobWorker}).
 *
 * <p><b>Timeouts.</b> {@code requestTimeout} (default 30 s) bounds each request until its answer (for a long
 * poll: the wait plus it; for a stream: until its headers arrive); a request that runs out fails with a retryable
 * {@code transport} exception. {@code connectTimeout} (default 10 s) applies to the {@code HttpClient} the
 * builder makes; a supplied one keeps its own.
 *
 * <p><b>Closing.</b> {@link #close()} ends every subscription, group consumer, job watch and job worker it opened
 * and, if the builder made the {@code HttpClient}, closes it; a supplied {@code HttpClient} is left to its owner.
 *
 * <p>This class is the SDK's one facade: each call's contract in Javadoc, its two faces, and a delegation to the
 * class that does it — {@code TopicCalls}, {@code GroupCalls}, {@code JobCalls} for requests, the loops in
 * {@code internal} for subscriptions, consumers, watches and workers.
 */
public final class SwitchboardClient implements AutoCloseable {
    private static final String TEXT = "text/plain; charset=utf-8";
    private static final String JSON = "application/json";

    private final Requests requests;
    private final boolean ownsHttp;
    private final TopicCalls topicCalls;
    private final GroupCalls groupCalls;
    private final JobCalls jobCalls;
    private final Running<Subscription> subscriptions = new Running<>(Subscription::close);
    private final Running<GroupConsumer> consumers = new Running<>(GroupConsumer::close);
    private final Running<JobWatch> watches = new Running<>(JobWatch::close);
    private final Running<JobWorker> workers = new Running<>(JobWorker::close);

    private SwitchboardClient(Requests requests, boolean ownsHttp) {
        this.requests = requests;
        this.ownsHttp = ownsHttp;
        this.topicCalls = new TopicCalls(requests);
        this.groupCalls = new GroupCalls(requests);
        this.jobCalls = new JobCalls(requests);
    }

    public static Builder builder(String baseUrl) {
        return new Builder(URI.create(baseUrl));
    }

    // ---- publish

    /** Publishes {@code body} with its content type ({@code application/json}, {@code text/plain}, anything). */
    public CompletableFuture<PublishResult> publishAsync(String topic, byte[] body, String contentType, Durability durability) {
        return topicCalls.publish(topic, body, contentType, durability);
    }

    public PublishResult publish(String topic, byte[] body, String contentType, Durability durability) {
        return Requests.await(publishAsync(topic, body, contentType, durability));
    }

    /** Publishes one JSON value given as its text (the server checks it is exactly one value). */
    public CompletableFuture<PublishResult> publishJsonAsync(String topic, String json) {
        return publishAsync(topic, json.getBytes(StandardCharsets.UTF_8), JSON, Durability.SYNC);
    }

    public PublishResult publishJson(String topic, String json) {
        return Requests.await(publishJsonAsync(topic, json));
    }

    public CompletableFuture<PublishResult> publishTextAsync(String topic, String text) {
        return publishAsync(topic, text.getBytes(StandardCharsets.UTF_8), TEXT, Durability.SYNC);
    }

    public PublishResult publishText(String topic, String text) {
        return Requests.await(publishTextAsync(topic, text));
    }

    /** Publishes JSON values (each given as its text, one line each) as one batch: one commit, consecutive offsets. */
    public CompletableFuture<BatchResult> publishBatchAsync(String topic, List<String> jsonValues, Durability durability) {
        return topicCalls.publishBatch(topic, jsonValues, durability);
    }

    public BatchResult publishBatch(String topic, List<String> jsonValues, Durability durability) {
        return Requests.await(publishBatchAsync(topic, jsonValues, durability));
    }

    // ---- read and long poll

    /** The messages after {@code after} (0: from the oldest; null: from the current end), at most {@code limit}. */
    public CompletableFuture<Page> readAsync(String topic, Long after, int limit) {
        return readAsync(topic, after, limit, null, null);
    }

    public Page read(String topic, Long after, int limit) {
        return Requests.await(readAsync(topic, after, limit));
    }

    /**
     * A long poll: answers as soon as a message exists after {@code after}, or with an empty page when {@code wait}
     * ends (the server caps it at its {@code max-wait}). {@code epoch}, when given, must match the server's store
     * or the read fails with {@code cannot-resume}.
     */
    public CompletableFuture<Page> readAsync(String topic, Long after, int limit, Duration wait, String epoch) {
        return topicCalls.read(topic, after, limit, wait, epoch);
    }

    public Page read(String topic, Long after, int limit, Duration wait) {
        return Requests.await(readAsync(topic, after, limit, wait, null));
    }

    /** Every topic with its retained range, sorted by name. */
    public CompletableFuture<List<TopicSummary>> topicsAsync() {
        return topicCalls.list();
    }

    public List<TopicSummary> topics() {
        return Requests.await(topicsAsync());
    }

    // ---- subscribe

    /**
     * Starts delivering {@code topic} to {@code listener} over the transport {@code options} names, reconnecting
     * and resuming by itself. Returns at once; close the subscription (or this client) to stop it.
     */
    public Subscription subscribe(String topic, SubscribeOptions options, SubscriptionListener listener) {
        Objects.requireNonNull(listener, "listener");
        SubscriptionLoop loop = new SubscriptionLoop(this, requests, topic, options, listener, subscriptions::remove);
        subscriptions.add(loop);
        loop.start();
        return loop;
    }

    /** The subscriptions of this client that have not ended. */
    public List<Subscription> subscriptions() {
        return subscriptions.list();
    }

    // ---- consumer groups

    /**
     * Leases up to {@code max} of the group's messages to this caller, waiting up to {@code wait} for the first
     * (null or zero: answers at once; the server caps it at its {@code max-wait}); {@code lease} (null: the server's
     * {@code group-lease}) is how long until an unacknowledged message is delivered again. Creates the group at the
     * topic's start the first time. An empty {@link Fetched#messages()} means the wait ended first.
     */
    public CompletableFuture<Fetched> fetchAsync(String topic, String group, int max, Duration wait, Duration lease) {
        return groupCalls.fetch(topic, group, max, wait, lease);
    }

    public Fetched fetch(String topic, String group, int max, Duration wait, Duration lease) {
        return Requests.await(fetchAsync(topic, group, max, wait, lease));
    }

    /**
     * Acknowledges {@code offsets} held under {@code lease}; answers the group's state after it. Offsets not held
     * under that lease (it ran out, or they were never leased to it) refuse the whole call with
     * {@code 409 lease-not-held} and change nothing.
     */
    public CompletableFuture<GroupState> ackAsync(String topic, String group, String lease, List<Long> offsets) {
        return groupCalls.ack(topic, group, lease, offsets);
    }

    public GroupState ack(String topic, String group, String lease, List<Long> offsets) {
        return Requests.await(ackAsync(topic, group, lease, offsets));
    }

    /**
     * Gives {@code offsets} back to the group: due again after {@code delay} (null: at once), with {@code reason}
     * (may be null) kept for the dead-letter headers. A message nacked on its last attempt goes to
     * {@code {topic}.dlq}. The same {@code 409 lease-not-held} as {@link #ack}.
     */
    public CompletableFuture<GroupState> nackAsync(String topic, String group, String lease, List<Long> offsets, Duration delay,
            String reason) {
        return groupCalls.nack(topic, group, lease, offsets, delay, reason);
    }

    public GroupState nack(String topic, String group, String lease, List<Long> offsets, Duration delay, String reason) {
        return Requests.await(nackAsync(topic, group, lease, offsets, delay, reason));
    }

    /**
     * Hands {@code offsets} back unhandled: due again at once, and not counted as a delivery attempt (the
     * application never worked on them). For a consumer that took more than it will handle. The same
     * {@code 409 lease-not-held} as {@link #ack}.
     */
    public CompletableFuture<GroupState> releaseAsync(String topic, String group, String lease, List<Long> offsets) {
        return groupCalls.release(topic, group, lease, offsets);
    }

    public GroupState release(String topic, String group, String lease, List<Long> offsets) {
        return Requests.await(releaseAsync(topic, group, lease, offsets));
    }

    /** One group's state; {@code 404 not-found} when the group does not exist. */
    public CompletableFuture<GroupState> groupStateAsync(String topic, String group) {
        return groupCalls.state(topic, group);
    }

    public GroupState groupState(String topic, String group) {
        return Requests.await(groupStateAsync(topic, group));
    }

    /** The state of every group of {@code topic} (empty when it has none). */
    public CompletableFuture<List<GroupState>> groupsAsync(String topic) {
        return groupCalls.list(topic);
    }

    public List<GroupState> groups(String topic) {
        return Requests.await(groupsAsync(topic));
    }

    /** Moves the group (creating it if needed) and drops every lease; answers its state after the move. */
    public CompletableFuture<GroupState> resetGroupAsync(String topic, String group, GroupReset to) {
        Objects.requireNonNull(to, "to");
        return groupCalls.reset(topic, group, to);
    }

    public GroupState resetGroup(String topic, String group, GroupReset to) {
        return Requests.await(resetGroupAsync(topic, group, to));
    }

    /**
     * Starts a member of {@code group}: messages go to {@code handler} one at a time and are acknowledged when it
     * returns, nacked when it throws (see {@link GroupConsumer}). Returns at once; close the consumer (or this
     * client) to stop it.
     */
    public GroupConsumer consume(String topic, String group, ConsumeOptions options, GroupHandler handler) {
        Objects.requireNonNull(handler, "handler");
        ConsumerLoop loop = new ConsumerLoop(this, requests, topic, group, options, handler, consumers::remove);
        consumers.add(loop);
        loop.start();
        return loop;
    }

    /** The group consumers of this client that have not ended. */
    public List<GroupConsumer> consumers() {
        return consumers.list();
    }

    // ---- jobs: submit and follow (docs/api/jobs.md)

    /**
     * Submits a job of {@code type} with {@code payload} (anything Jackson can write: a {@code JsonNode} as is, a
     * {@code String} stored as text; null for none). Answers the job at once (queued), or, with
     * {@link SubmitOptions#preferWait}, when it finished within that wait (else as it stood when the wait ended).
     */
    public CompletableFuture<Job> submitAsync(String type, Object payload, SubmitOptions options) {
        return jobCalls.submit(type, payload, options);
    }

    public Job submit(String type, Object payload, SubmitOptions options) {
        return Requests.await(submitAsync(type, payload, options));
    }

    /** {@link #submitAsync} with the payload given as JSON text; text that is not one JSON value is refused here. */
    public CompletableFuture<Job> submitJsonAsync(String type, String json, SubmitOptions options) {
        try {
            return submitAsync(type, Json.parse(json), options);
        } catch (IOException e) {
            throw new IllegalArgumentException("the payload is not one JSON value: " + e.getMessage(), e);
        }
    }

    public Job submitJson(String type, String json, SubmitOptions options) {
        return Requests.await(submitJsonAsync(type, json, options));
    }

    /**
     * The sync face of a job: submits with {@code Prefer: wait} (the whole seconds of {@code timeout}) so a quick
     * job is answered finished in the submit's own round trip; when the server answered first (its
     * {@code max-wait} caps the preference, a proxy may drop it), goes on with {@link #awaitJobAsync} for the rest
     * of {@code timeout}. Answers the finished job, or the job as it stood when {@code timeout} ran out (check
     * {@link Job#isFinished()}).
     */
    public CompletableFuture<Job> submitAndWaitAsync(String type, Object payload, SubmitOptions options, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        CompletableFuture<Job> submitted = submitAsync(type, payload, options.preferWait(timeout));
        CompletableFuture<Job> done = submitted.thenCompose(job -> job.isFinished() ? CompletableFuture.completedFuture(job)
                : awaitJobAsync(job.id(), Duration.ofNanos(Math.max(0, deadline - System.nanoTime()))));
        return Requests.cancelling(submitted, done);
    }

    public Job submitAndWait(String type, Object payload, SubmitOptions options, Duration timeout) {
        return Requests.await(submitAndWaitAsync(type, payload, options, timeout));
    }

    /** The job now (short polling); {@code 404 not-found} when there is none with this id. */
    public CompletableFuture<Job> jobAsync(String id) {
        return jobAsync(id, null, null);
    }

    public Job job(String id) {
        return Requests.await(jobAsync(id));
    }

    /**
     * A long poll on the job: answers when it finishes or, with {@code afterVersion}, as soon as its version passes
     * that one (any change: started, progress, …), else with the job as it is when {@code wait} ends (which must
     * not exceed the server's {@code max-wait}). A null {@code wait} answers at once.
     */
    public CompletableFuture<Job> jobAsync(String id, Duration wait, Long afterVersion) {
        return jobCalls.job(id, wait, afterVersion);
    }

    public Job job(String id, Duration wait, Long afterVersion) {
        return Requests.await(jobAsync(id, wait, afterVersion));
    }

    /**
     * Waits for the job to finish, with long polls of up to 30 s each (shorter when the server's {@code max-wait}
     * is), retrying lost connections with jittered backoff, until {@code timeout}. Answers the finished job, or the
     * job as it stood when {@code timeout} ran out (check {@link Job#isFinished()}); fails on a refusal (e.g.
     * {@code 404 not-found}) or when the server stayed unreachable until then. Cancelling the future hangs up.
     */
    public CompletableFuture<Job> awaitJobAsync(String id, Duration timeout) {
        return JobAwait.start(this, id, timeout);
    }

    public Job awaitJob(String id, Duration timeout) {
        return Requests.await(awaitJobAsync(id, timeout));
    }

    /**
     * Follows the job: {@code listener} gets the job now, then each change (status, attempt, progress) until it
     * finishes (see {@link JobWatch} for how, and why long polls on the version rather than its event stream).
     * Returns at once; close the watch (or this client) to stop earlier.
     */
    public JobWatch watchJob(String id, JobListener listener) {
        Objects.requireNonNull(listener, "listener");
        JobWatchLoop loop = new JobWatchLoop(this, id, listener, watches::remove);
        watches.add(loop);
        loop.start();
        return loop;
    }

    /**
     * Cancels the job: a queued one at once; a running one answers {@link Job#cancelRequested()} and is cancelled
     * at its worker's next heartbeat or progress (or when its lease runs out). A finished job is answered unchanged.
     */
    public CompletableFuture<Job> cancelJobAsync(String id) {
        return jobCalls.cancel(id);
    }

    public Job cancelJob(String id) {
        return Requests.await(cancelJobAsync(id));
    }

    // ---- jobs: workers

    /**
     * A long-poll claim of the oldest due job of {@code type}, waiting up to {@code wait} (null or zero: answers at
     * once; at most the server's {@code max-wait}), leased for {@code lease} (null: the server's {@code job-lease}).
     * Completes with null when the wait ended with nothing to do. Cancelling it hangs up, which gives a job claimed
     * in the meantime back to the queue.
     */
    public CompletableFuture<JobClaim> claimAsync(String type, Duration wait, Duration lease) {
        return jobCalls.claim(type, wait, lease);
    }

    public JobClaim claim(String type, Duration wait, Duration lease) {
        return Requests.await(claimAsync(type, wait, lease));
    }

    /**
     * Like {@link #claimAsync(String, Duration, Duration)}, for up to {@code max} jobs (1 to 100) in one request,
     * oldest first, each with its own lease to heartbeat, complete or fail it by. Completes empty when the wait ended
     * with nothing to do. A worker running several jobs at once saves a request per job.
     */
    public CompletableFuture<List<JobClaim>> claimAsync(String type, int max, Duration wait, Duration lease) {
        return jobCalls.claim(type, max, wait, lease);
    }

    public List<JobClaim> claim(String type, int max, Duration wait, Duration lease) {
        return Requests.await(claimAsync(type, max, wait, lease));
    }

    /**
     * Renews the lease. The answer's status is {@link JobStatus#CANCELLED} when the job was cancelled: stop. A spent
     * or foreign lease is refused with {@code 409 lease-not-held}, as for every worker call below.
     */
    public CompletableFuture<Job> heartbeatAsync(String id, String lease) {
        return jobCalls.heartbeat(id, lease);
    }

    public Job heartbeat(String id, String lease) {
        return Requests.await(heartbeatAsync(id, lease));
    }

    /** Records progress ({@code percent} 0..100, {@code message} may be null) and renews the lease; as {@link #heartbeatAsync}. */
    public CompletableFuture<Job> progressAsync(String id, String lease, int percent, String message) {
        return jobCalls.progress(id, lease, percent, message);
    }

    public Job progress(String id, String lease, int percent, String message) {
        return Requests.await(progressAsync(id, lease, percent, message));
    }

    /** Ends the attempt with success and {@code result} (anything Jackson can write; null for none). */
    public CompletableFuture<Job> completeAsync(String id, String lease, Object result) {
        return jobCalls.complete(id, lease, result);
    }

    public Job complete(String id, String lease, Object result) {
        return Requests.await(completeAsync(id, lease, result));
    }

    /** Ends the attempt with {@code error}: queued again after a backoff while attempts are left and {@code retry}, else failed. */
    public CompletableFuture<Job> failAsync(String id, String lease, String error, boolean retry) {
        return jobCalls.fail(id, lease, error, retry);
    }

    public Job fail(String id, String lease, String error, boolean retry) {
        return Requests.await(failAsync(id, lease, error, retry));
    }

    /**
     * Starts a worker for {@code type}: jobs are claimed and handed to {@code handler}, completed with what it
     * returns and failed when it throws, their leases renewed meanwhile (see {@link JobWorker}). Returns at once;
     * close the worker (or this client) to stop it.
     */
    public JobWorker work(String type, WorkOptions options, JobHandler handler) {
        Objects.requireNonNull(handler, "handler");
        WorkerLoop loop = new WorkerLoop(this, type, options, handler, workers::remove);
        workers.add(loop);
        loop.start();
        return loop;
    }

    /** The job workers of this client that have not ended. */
    public List<JobWorker> workers() {
        return workers.list();
    }

    /**
     * Closes every subscription, group consumer, job watch and job worker this client started (each as its own
     * {@code close()} says), then the {@code HttpClient} if the builder made it.
     */
    @Override
    public void close() {
        subscriptions.closeAll();
        consumers.closeAll();
        watches.closeAll();
        workers.closeAll();
        if (ownsHttp) {
            requests.http().close();
        }
    }

    /** Settings of a client; {@link #build()} validates them. Not thread-safe: build on one thread. */
    public static final class Builder {
        private final URI baseUrl;
        private HttpClient http;
        private Duration connectTimeout = Duration.ofSeconds(10); // a refused or unroutable server fails within this
        private Duration requestTimeout = Duration.ofSeconds(30); // an answer (or a stream's headers) within this
        private Supplier<String> bearerToken;

        private Builder(URI baseUrl) {
            if (baseUrl.getScheme() == null || !baseUrl.getScheme().startsWith("http")) {
                throw new IllegalArgumentException("base URL must be http:// or https://, got " + baseUrl);
            }
            this.baseUrl = baseUrl;
        }

        /** Use this HttpClient (its executor, TLS and proxy settings); the SDK will not close it. */
        public Builder httpClient(HttpClient http) {
            this.http = http;
            return this;
        }

        /** How long opening a connection may take (default 10 s); only for the {@code HttpClient} the builder makes. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        /** How long each request may wait for its answer (default 30 s), on top of a long poll's own wait. */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = positive(timeout, "requestTimeout");
            return this;
        }

        /** Asked for a token before every request and (re)connection, sent as {@code Authorization: Bearer <token>}. */
        public Builder bearerToken(Supplier<String> token) {
            this.bearerToken = token;
            return this;
        }

        public SwitchboardClient build() {
            boolean owns = http == null;
            HttpClient client = owns
                    // HTTP/1.1: no h2c upgrade round trip per connection, and one stream per connection is what SSE wants.
                    ? HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout).build()
                    : http;
            return new SwitchboardClient(new Requests(client, baseUrl, requestTimeout, bearerToken), owns);
        }

        private static Duration positive(Duration d, String name) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, got " + d);
            }
            return d;
        }
    }
}
