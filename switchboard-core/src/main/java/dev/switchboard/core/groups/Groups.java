package dev.switchboard.core.groups;

import dev.switchboard.core.config.GroupSettings;
import dev.switchboard.core.config.Limits;
import dev.switchboard.core.error.ErrorCode;
import dev.switchboard.core.error.SwitchboardException;
import dev.switchboard.core.hub.TopicSignals;
import dev.switchboard.core.hub.Wakeup;
import dev.switchboard.core.message.GroupNames;
import dev.switchboard.core.message.Topics;
import dev.switchboard.core.store.AppendRequest;
import dev.switchboard.core.store.Appended;
import dev.switchboard.core.store.GroupState;
import dev.switchboard.core.store.GroupStore;
import dev.switchboard.core.store.LeaseRequest;
import dev.switchboard.core.store.Leased;
import dev.switchboard.core.store.Leased.Delivery;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Consumer groups for every transport: validate → one store step → dead-letter what is exhausted →
 * answer. Each call returns at once and runs on a virtual thread; a waiting fetch parks its virtual
 * thread until a commit on the topic, a lease coming due, or its deadline.
 */
public final class Groups {
    /**
     * Longest a waiting fetch goes without looking at the store again: another node's nack or reset is
     * not announced to this one, so a waiter sees it within this time.
     */
    static final long RECHECK_MILLIS = 1_000;

    private final GroupStore store;
    private final GroupSettings settings;
    private final Limits limits;
    private final ExecutorService blocking;
    private final DeadLetters deadLetters;
    private final GroupMetrics metrics;
    private final TopicSignals signals;

    public Groups(GroupStore store, GroupSettings settings, Limits limits, ExecutorService blocking, TopicSignals signals,
            Function<AppendRequest, CompletableFuture<Appended>> publish, GroupMetrics metrics) {
        this.signals = signals;
        this.store = store;
        this.settings = settings;
        this.limits = limits;
        this.blocking = blocking;
        this.deadLetters = new DeadLetters(publish);
        this.metrics = metrics;
    }

    public GroupSettings settings() {
        return settings;
    }

    /**
     * Leases up to {@code max} messages; with a non-zero {@code wait}, waits for the first one.
     * Cancelling the future (the client went away) gives back whatever was leased for it.
     *
     * @param lease null for the server's default
     */
    public CompletableFuture<Fetched> fetch(String topic, String group, int max, Duration lease, Duration wait) {
        Duration leaseFor;
        try {
            validate(topic, group);
            requireRange("max", max, 1, limits.maxReadMessages());
            leaseFor = lease(lease);
            if (wait.compareTo(limits.maxWait()) > 0) {
                throw new SwitchboardException(ErrorCode.WAIT_TOO_LONG, "wait=" + wait.toMillis() + "ms is above the server's cap of "
                        + limits.maxWait().toMillis() + "ms (max-wait)");
            }
        } catch (SwitchboardException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<Fetched> answer = new CompletableFuture<>();
        execute(answer, "fetch from group '" + group + "' of '" + topic + "'", () -> {
            try {
                Fetched fetched = fetchWaiting(topic, group, max, leaseFor, System.currentTimeMillis() + wait.toMillis(), answer);
                if (!answer.complete(fetched) && !fetched.deliveries().isEmpty()) {
                    giveBack(topic, group, fetched.lease(), fetched.deliveries().stream().map(Delivery::offset).toList(), false,
                            "the fetching client went away before the answer");
                }
            } catch (RuntimeException | InterruptedException e) {
                answer.completeExceptionally(SwitchboardException.fromStore("fetch from group '" + group + "' of '" + topic + "'", e));
            }
        });
        return answer;
    }

    public CompletableFuture<GroupState> ack(String topic, String group, String lease, List<Long> offsets) {
        return run("ack in group '" + group + "' of '" + topic + "'", () -> {
            requireLease(lease, offsets);
            GroupState state = store.ack(topic, group, lease, offsets, System.currentTimeMillis());
            metrics.acked(offsets.size());
            return state;
        }, topic, group);
    }

    /** @param delay how long until the messages are due again; zero redelivers at once */
    public CompletableFuture<GroupState> nack(String topic, String group, String lease, List<Long> offsets, Duration delay, String reason) {
        return run("nack in group '" + group + "' of '" + topic + "'", () -> {
            requireLease(lease, offsets);
            if (delay.isNegative() || delay.compareTo(settings.maxLease()) > 0) {
                throw new SwitchboardException(ErrorCode.BAD_REQUEST, "delay=" + delay.toMillis() + "ms is out of range: 0 to "
                        + settings.maxLease().toMillis() + "ms (group-max-lease)");
            }
            long now = System.currentTimeMillis();
            GroupState state = store.nack(topic, group, lease, offsets, now + delay.toMillis(), reason, now);
            metrics.nacked(offsets.size());
            signals.appended(topic); // waiting fetches may take these now
            return state;
        }, topic, group);
    }

    /** Hands messages back unhandled: due again at once, not counted as an attempt (see {@link GroupStore#release}). */
    public CompletableFuture<GroupState> release(String topic, String group, String lease, List<Long> offsets) {
        return run("release in group '" + group + "' of '" + topic + "'", () -> {
            requireLease(lease, offsets);
            GroupState state = store.release(topic, group, lease, offsets, System.currentTimeMillis());
            signals.appended(topic); // waiting fetches may take these now
            return state;
        }, topic, group);
    }

    public CompletableFuture<GroupState> state(String topic, String group) {
        return run("state of group '" + group + "' of '" + topic + "'", () -> {
            GroupState state = store.state(topic, group, System.currentTimeMillis());
            if (state == null) {
                throw new SwitchboardException(ErrorCode.NOT_FOUND, "topic '" + topic + "' has no group '" + group
                        + "'; a group is created by its first fetch or by a reset");
            }
            return state;
        }, topic, group);
    }

    public CompletableFuture<List<GroupState>> list(String topic) {
        try {
            Topics.requireValid(topic);
        } catch (SwitchboardException e) {
            return CompletableFuture.failedFuture(e);
        }
        return CompletableFuture.supplyAsync(() -> store.groups(topic, System.currentTimeMillis()), blocking)
                .exceptionallyCompose(e -> CompletableFuture.failedFuture(SwitchboardException.fromStore("listing groups of '" + topic + "'", e)));
    }

    public CompletableFuture<GroupState> reset(String topic, String group, ResetTarget target) {
        return run("reset of group '" + group + "' of '" + topic + "'", () -> {
            long committed = switch (target) {
                case ResetTarget.AfterOffset a -> {
                    requireRange("offset", a.offset(), 0, Long.MAX_VALUE);
                    yield a.offset();
                }
                case ResetTarget.AtTime t -> store.offsetAt(topic, t.timeMillis()) - 1;
                case ResetTarget.Earliest e -> 0;
                case ResetTarget.Latest l -> store.offsetAt(topic, Long.MAX_VALUE) - 1;
            };
            GroupState state = store.reset(topic, group, committed, System.currentTimeMillis());
            signals.appended(topic);
            return state;
        }, topic, group);
    }

    /**
     * Starts pushing the group's messages to {@code session}, never more than {@code maxInFlight}
     * unacknowledged at once (the prefetch window).
     *
     * @param lease null for the server's default
     */
    public GroupConsumer consume(String topic, String group, int maxInFlight, Duration lease, GroupSession session) {
        validate(topic, group);
        requireRange("max_in_flight", maxInFlight, 1, settings.maxInFlight());
        GroupConsumer consumer = new GroupConsumer(this, topic, group, maxInFlight, lease(lease), session);
        try {
            blocking.execute(consumer::run);
        } catch (RejectedExecutionException e) {
            throw new SwitchboardException(ErrorCode.SHUTTING_DOWN, "consuming group '" + group + "' of '" + topic
                    + "' refused: the server is shutting down");
        }
        return consumer;
    }

    // ---- for GroupConsumer and the fetch loop ----

    /** One store lease, with the exhausted messages dead-lettered and acked before it returns. */
    Leased leaseOnce(String topic, String group, int max, Duration lease) {
        Leased leased = store.lease(new LeaseRequest(topic, group, max, lease.toMillis(), settings.maxAttempts(),
                System.currentTimeMillis()));
        metrics.served(topic, group);
        if (!leased.exhausted().isEmpty()) {
            deadLetters.send(topic, group, leased.exhausted());
            store.ack(topic, group, leased.lease(), leased.exhausted().stream().map(Delivery::offset).toList(), System.currentTimeMillis());
            metrics.deadLettered(leased.exhausted().size());
        }
        int redelivered = (int) leased.deliveries().stream().filter(d -> d.attempt() > 1).count();
        metrics.delivered(leased.deliveries().size(), redelivered);
        return leased;
    }

    void register(String topic, Wakeup w) {
        signals.register(topic, w);
    }

    void unregister(String topic, Wakeup w) {
        signals.unregister(topic, w);
    }

    ExecutorService blocking() {
        return blocking;
    }

    /**
     * Hands leased messages back at once so another consumer gets them without waiting for the lease to
     * end. {@code seen} false: the application never had them, so the delivery is not counted as an
     * attempt; true (a consumer's connection dropped mid-work): it counts, so a message that kills its
     * consumers still reaches the dead-letter topic.
     */
    void giveBack(String topic, String group, String lease, List<Long> offsets, boolean seen, String reason) {
        CompletableFuture<GroupState> done = seen ? nack(topic, group, lease, offsets, Duration.ZERO, reason) : release(topic, group, lease, offsets);
        done.exceptionally(e -> {
            // One offset no longer held (its lease ran out and another consumer took it) refuses the whole call:
            // give the others back one by one rather than leave them to their leases.
            if (offsets.size() > 1 && SwitchboardException.of(e).code() == ErrorCode.LEASE_NOT_HELD) {
                offsets.forEach(o -> giveBack(topic, group, lease, List.of(o), seen, reason));
            }
            return null;
        });
    }

    private Fetched fetchWaiting(String topic, String group, int max, Duration lease, long deadline, CompletableFuture<Fetched> answer)
            throws InterruptedException {
        Wakeup wakeup = new Wakeup();
        signals.register(topic, wakeup);
        answer.whenComplete((f, e) -> wakeup.wake()); // a client that hangs up ends the wait at once
        try {
            while (true) {
                if (answer.isDone()) {
                    return new Fetched(topic, group, "", lease.toMillis(), List.of()); // nobody to hand messages to
                }
                Leased leased = leaseOnce(topic, group, max, lease);
                long now = System.currentTimeMillis();
                if (!leased.deliveries().isEmpty() || now >= deadline || answer.isDone()) {
                    return new Fetched(topic, group, leased.lease(), lease.toMillis(), leased.deliveries());
                }
                wakeup.await(Math.min(deadline, Math.min(leased.nextDueMillis(), now + RECHECK_MILLIS)));
            }
        } finally {
            signals.unregister(topic, wakeup);
        }
    }

    private <T> CompletableFuture<T> run(String what, Supplier<T> step, String topic, String group) {
        try {
            validate(topic, group);
        } catch (SwitchboardException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<T> answer = new CompletableFuture<>();
        execute(answer, what, () -> answer.complete(step.get()));
        return answer.exceptionallyCompose(e -> CompletableFuture.failedFuture(SwitchboardException.fromStore(what, e)));
    }

    /** Runs {@code task} on a virtual thread; fails {@code answer} if it throws, or if the hub is stopping and takes no more. */
    private void execute(CompletableFuture<?> answer, String what, Runnable task) {
        try {
            blocking.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    answer.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            answer.completeExceptionally(new SwitchboardException(ErrorCode.SHUTTING_DOWN, what + " refused: the server is shutting down"));
        }
    }

    private Duration lease(Duration asked) {
        if (asked == null) {
            return settings.lease();
        }
        if (asked.toMillis() < 1 || asked.compareTo(settings.maxLease()) > 0) {
            throw new SwitchboardException(ErrorCode.BAD_REQUEST, "lease=" + asked.toMillis() + "ms is out of range: 1ms to "
                    + settings.maxLease().toMillis() + "ms (group-max-lease)");
        }
        return asked;
    }

    private static void validate(String topic, String group) {
        Topics.requireValid(topic);
        GroupNames.requireValid(group);
        String dlq = DeadLetters.topicOf(topic);
        if (dlq.length() > 200) {
            throw new SwitchboardException(ErrorCode.BAD_TOPIC, "topic '" + topic.substring(0, 40) + "…' is " + topic.length()
                    + " characters: consumer groups need at most " + (200 - DeadLetters.SUFFIX.length())
                    + " so that its dead-letter topic {topic}.dlq is a valid name");
        }
    }

    private static void requireLease(String lease, List<Long> offsets) {
        if (lease == null || lease.isBlank()) {
            throw new SwitchboardException(ErrorCode.BAD_REQUEST, "\"lease\" is required: the token the fetch answered with");
        }
        if (offsets.isEmpty()) {
            throw new SwitchboardException(ErrorCode.BAD_REQUEST, "\"offsets\" is empty: name at least one offset");
        }
    }

    private static void requireRange(String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw new SwitchboardException(ErrorCode.BAD_REQUEST, name + "=" + value + " is out of range: " + min + " to " + max);
        }
    }
}
