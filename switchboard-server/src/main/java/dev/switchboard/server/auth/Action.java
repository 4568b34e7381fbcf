package dev.switchboard.server.auth;

/**
 * What a token may be granted, each on names matched by {@link NamePattern}s: the keys of the
 * {@code switchboard} claim. Topics for the first three, job types for the last two.
 */
public enum Action {
    /** Append to a topic: HTTP publish, WebSocket {@code publish}. */
    PUBLISH("publish", "topic"),
    /** Read a topic: short and long poll, SSE, WebSocket {@code subscribe}, topic info and listing. */
    SUBSCRIBE("subscribe", "topic"),
    /** Consumer groups on a topic: fetch, ack, nack, release, reset, group state; WebSocket {@code consume}/{@code ack}/{@code nack}/{@code stop}. */
    CONSUME("consume", "topic"),
    /** Jobs of a type: submit, status, events, cancel. */
    JOBS("jobs", "job type"),
    /** Worker calls on jobs of a type: claim, heartbeat, progress, complete, fail. */
    WORK("work", "job type");

    private final String claim;
    private final String object;

    Action(String claim, String object) {
        this.claim = claim;
        this.object = object;
    }

    /** The key in the {@code switchboard} claim. */
    public String claim() {
        return claim;
    }

    /** What the granted names are names of, for messages. */
    String object() {
        return object;
    }

    static Action byClaim(String key) {
        for (Action a : values()) {
            if (a.claim.equals(key)) {
                return a;
            }
        }
        return null;
    }
}
